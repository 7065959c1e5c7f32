## Possible duplicates: people who look like one person entered twice, merged into one and merged back

duplicates-link = Possible duplicates
duplicates-title = Possible duplicates
duplicates-for-organisers = Finding and merging duplicate people is for organisers. If you think someone is on the phone twice, tell your organiser.
duplicates-intro = People who may have been entered twice, most likely first. Merging keeps one record: the other's details fill its blanks and their history moves over. A merge can be undone.
duplicates-set-apart-note = Marking a pair as not the same person stops suggesting them on every organiser's phone once it syncs. You can suggest them again below.
duplicates-none = No possible duplicates among the people on this phone.
duplicates-count = { $count ->
    [one] 1 possible duplicate.
   *[other] { $count } possible duplicates.
}
duplicates-pairs = Pairs that may be one person
duplicates-pair = { $first } and { $second }
duplicates-reason-phone = Same phone number
duplicates-reason-email = Same email address
duplicates-reason-name = Close name at the same address
duplicates-reasons = Why: { $reasons }.
duplicates-phone = Phone
duplicates-email = Email
duplicates-address = Address
duplicates-skills = Skills
duplicates-history = History
duplicates-nothing = None
duplicates-one-to-ones = { $count ->
    [one] 1 one-to-one
   *[other] { $count } one-to-ones
}
duplicates-history-counts = { $conversations }, { $one_to_ones }
duplicates-keep = Which record to keep
duplicates-keep-person = Keep { $name }
duplicates-merge = Merge
duplicates-not-same = Not the same person
duplicates-confirm = { $kept } is kept. { $gone }'s details fill any blanks in { $kept }'s record, and their conversations, one-to-ones and other history move to { $kept }. { $gone } is no longer listed. You can undo this afterwards.
duplicates-confirm-merge = Yes, merge them
duplicates-cancel = Cancel
duplicates-cannot-merge = Only someone who organises both of their areas can merge these two or mark them as different people.
duplicates-merged = Merged { $gone } into { $kept }.
duplicates-undo = Undo
duplicates-undo-merge = Undo: { $gone } into { $kept }
duplicates-undone = Undone: { $gone } and { $kept } are two people again.
duplicates-kept-edits = Changed on { $kept } since the merge, so left as they are: { $fields }.
duplicates-left = { $count ->
    [one] 1 record that was changed since the merge no longer names { $kept }, so it was left as it is.
   *[other] { $count } records that were changed since the merge no longer name { $kept }, so they were left as they are.
}
duplicates-set-apart-done = { $first } and { $second } are marked as different people and are no longer suggested.
duplicates-set-apart = Marked as different people
duplicates-set-apart-none = No pairs on this phone are marked as different people.
duplicates-set-apart-count = { $count ->
    [one] 1 pair marked as different people.
   *[other] { $count } pairs marked as different people.
}
duplicates-suggest-again = Suggest again
duplicates-suggest-again-pair = Suggest again: { $pair }
duplicates-suggested-again = { $pair } will be suggested again while they still look alike.
duplicates-show-more = { $count ->
    [one] Show { $count } more pair
   *[other] Show { $count } more pairs
}
duplicates-recent = Recent merges
duplicates-recent-none = No merges on this phone to undo.
duplicates-recent-merge = { $gone } into { $kept }
duplicates-recent-when = { $date }, by { $name }
duplicates-someone = Someone not on this phone
duplicates-refused-same-person = A person cannot be merged with themselves.
duplicates-refused-kept-missing = The person to keep is no longer on this phone.
duplicates-refused-gone-missing = The person to merge is no longer on this phone.
duplicates-refused-kept-merged = The person to keep has already been merged into someone else.
duplicates-refused-gone-merged = That person has already been merged.
duplicates-refused-already-undone = This merge has already been undone.
duplicates-refused-not-this-merge = These are not the people this merge names.
duplicates-merge-missing = This merge is no longer on this phone.
