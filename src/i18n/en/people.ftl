## People: the list, adding someone, and one person's page

people = People
people-search = Search by name, phone or email
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
people-cannot-edit = This record cannot be edited here.
people-save-changes = Save changes
