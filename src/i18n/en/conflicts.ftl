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
