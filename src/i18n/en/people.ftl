## People: the list, adding someone, and one person's page

people = People
people-search = Search by name, phone, email or postcode
people-filters = Filters
people-filters-on = Filters ({ NUMBER($count) } on)
people-filter-skill = Skill
people-filter-any-skill = Any skill
people-filter-tag = Tag
people-filter-any-tag = Any tag
people-filter-rung = Rung of the ladder
people-filter-any-rung = Any rung
people-filter-retired-rung = { $rung } (retired)
people-filter-area = Where they are
people-filter-anywhere = Anywhere
people-filters-clear = Clear filters
people-found = { $count ->
    [one] { $count } person found.
   *[other] { $count } people found.
}
people-on-this-phone = { $count ->
    [one] { $count } person on this phone.
   *[other] { $count } people on this phone.
}
people-list = People
people-none-yet = No one yet. People you add, and people on your lists, appear here.
people-add = Add a person
people-name = Name
people-phone = Phone (optional)
people-area = Area
people-no-area = You have no area to add people to.
people-save = Save person
people-saved = Saved { $name }.

## One person

people-not-found = Not found
people-not-on-this-phone = This person is not on this phone. They may have been removed, or not synced yet.
people-back = Back to people
people-log-one-to-one = Log a one-to-one with them
people-cannot-edit = This record cannot be edited here.
people-save-changes = Save changes
people-their-consent = Their consent
people-erased = The person was erased. Every phone loses them at its next sync.

## A person's data, for an admin of their area

their-data-heading = Their data
their-data-intro = For a request to see or erase what is held about them. Needs a connection.
their-data-download = Download their data
their-data-downloaded = Their data was saved as a file.
their-data-not-saved = The file could not be saved on this device.
their-data-erase = Erase { $name }…
their-data-what-goes = Erasing { $name } removes for good, from the server and from every phone at its next sync:
their-data-their-record = their record and contact details
their-data-conversations = { $count ->
    [one] { $count } conversation
   *[other] { $count } conversations
}
their-data-attendances = { $count ->
    [one] { $count } meeting attendance
   *[other] { $count } meeting attendances
}
their-data-stories = { $count ->
    [one] { $count } story
   *[other] { $count } stories
}
their-data-survey-answers = { $count ->
    [one] { $count } survey answer
   *[other] { $count } survey answers
}
their-data-one-to-ones = { $count ->
    [one] { $count } one-to-one
   *[other] { $count } one-to-ones
}
their-data-links = { $count ->
    [one] { $count } link on the community map
   *[other] { $count } links on the community map
}
their-data-other-records = { $count ->
    [one] { $count } other record
   *[other] { $count } other records
}
their-data-results-keep = Results keep their counts, without them.
their-data-why = Why are they being erased?
their-data-reason-request = They asked to be erased
their-data-reason-retention = The retention rule: no consent and no activity for too long
their-data-reason-mistake = They were added by mistake
their-data-reason-needed = Choose why they are being erased.
their-data-erase-for-good = Erase { $name } for good
their-data-cancel = Cancel
their-data-audit = What has been done about them (audit log)
their-data-read = Read their data, to print or save
their-data-consent-link = Make a link for them to withdraw consent
their-data-consent-link-label = Link for { $name } to withdraw consent
their-data-consent-link-note = It works until { $date }, without an account, and shows nothing about them. Send it to them by email or text.
their-data-consent-share-text = To choose how we may no longer contact you, open this link:

## A person's data as a page (subject access)

subject-access = Their data
subject-access-asking = Asking the server for everything held about them…
subject-access-made = Made { $when }.
subject-access-print = Print
subject-access-record = Their record
subject-access-record-gone = Their record was deleted; what is left of it is listed below.
subject-access-about = { $count ->
    [one] { $count } record about them
   *[other] { $count } records about them
}
subject-access-mentioned = { $count ->
    [one] { $count } record that names them
   *[other] { $count } records that name them
}
subject-access-readers = { $count ->
    [one] { $count } person in the organisation may read them
   *[other] { $count } people in the organisation may read them
}
subject-access-reader = { $name }: { $roles }
subject-access-role = { $role } of { $area }
subject-access-audit = { $count ->
    [one] { $count } audit entry about them
   *[other] { $count } audit entries about them
}
subject-access-left = { $count ->
    [one] { $count } other thing held
   *[other] { $count } other things held
}
subject-access-left-detail = Deleted records that still name them: { $deleted }. Open conflicts on their records: { $conflicts }.
subject-access-back = Back to their page
subject-access-withdraw = To withdraw their consent themselves, without an account, until { $date }:
