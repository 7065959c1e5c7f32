## Conflicts

conflicts = Conflicts
conflicts-intro = Two people changed the same thing before seeing each other's change. Choose which to keep.
conflicts-none = No conflicts to resolve.
conflicts-list = Conflicts
# A conflict's heading: the record (a person's name, or its collection) and the field.
conflicts-title = { $record }: { $field }
# Followed by the value the field holds now, then who set it (conflicts-by or
# conflicts-by-you).
conflicts-now = Now:
# Followed by the value that was overwritten, then conflicts-by.
conflicts-overwritten = Overwritten:
conflicts-by = (by { $name })
conflicts-by-you = (by you)
# A user whose name is not on this phone.
conflicts-someone-else = someone else
conflicts-keep = Keep “{ $value }”
conflicts-use = Use “{ $value }”

## A value as a person reads it

conflicts-empty = (empty)
conflicts-yes = yes
conflicts-no = no

## Rejected changes

rejected = Rejected changes
rejected-intro = The server did not accept these. Each stays here until you discard it.
rejected-none = No rejected changes.
rejected-list = Rejected changes
rejected-why = Why: { $reason }
rejected-discard = Discard
rejected-discard-change = Discard: { $change }
# What a rejected change tried to do: the record is a person's name, or its collection.
rejected-create = Adding { $record }
rejected-set-field = Setting { $field } of { $record } to “{ $value }”
rejected-add-to-set = Adding to { $field } of { $record }
rejected-remove-from-set = Removing from { $field } of { $record }
rejected-delete = Deleting { $record }
rejected-resolve-conflict = Resolving a conflict on { $record }
rejected-withdrawn = A change that was withdrawn

## Why the server refused a change, as a sentence

rejection-unsupported-schema = It was made by a version of the app the server no longer accepts. Update the app and make the change again.
rejection-erased = It concerns someone whose data has been erased.
rejection-outside-scope = This record is outside what you may change.
rejection-admin-only = Only an admin of this area may do this.
rejection-organiser-only = Only an organiser of this area may do this.
rejection-not-the-author = A record can only be written in your own name.
rejection-areas-are-kept = Areas are never deleted. Rename the area, or move what is in it, instead.
rejection-rungs-are-kept = Rungs of the ladder are never deleted, as people's moves name them. Retire the rung instead.
rejection-merges-are-kept = A merge of two people is never changed or deleted, as its undo reads it. Undo the merge instead.
# One refused value: the field in words, then the problem (a problem-… sentence).
rejection-invalid = { $field }: { $problem }
rejection-not-found = The record is not there, or you may not see it.
rejection-deleted = The record has been deleted.
rejection-id-taken = A record with this id already exists.
rejection-append-only = These records are never changed, only added.
rejection-not-a-set = { $field } holds one value, not several.
rejection-whole-set = { $field } holds several values: add or remove them one at a time.
rejection-unknown-area = That area does not exist.
rejection-stale-delete = Someone changed the record after you last saw it. Look at it again before deleting it.
rejection-no-such-conflict = That conflict has already been settled.

## A value as a person reads it (continued)

# A record this phone does not hold, named by a change.
conflicts-a-record = a record not on this phone
# After the names of the records a set holds that this phone has, how many more it holds.
conflicts-more = { $count ->
    [one] and one more
   *[other] and { $count } more
}
