## Retention: the organisation's rule, and erasing whom it catches

retention = Retention
retention-admins-only = Only admins can review retention.
retention-rule-heading = The rule
retention-rule = People with no consent to be contacted and no contact for { $months } months are listed below for review. Nobody is erased without an admin's action.
retention-no-rule = There is no retention rule, so nobody is listed. An admin of the whole organisation sets one.
retention-set-when = Set { $when }.
retention-months = Months without contact
retention-months-hint = From 6 to 120. Contact is their record being made, a conversation or other record about them, or an answer they gave about consent.
retention-months-wrong = Write a number of months from 6 to 120.
retention-save = Save the rule
retention-remove = Remove the rule
retention-saved = The rule was saved.
retention-removed = The rule was removed.
retention-review-heading = Who the rule catches
retention-loading = Asking the server whom the rule catches…
retention-caught = { $count ->
    [one] { $count } person in your areas is caught.
   *[other] { $count } people in your areas are caught.
}
retention-none-caught = Nobody in your areas is caught by the rule.
retention-in-area = { $area }: { $count }
retention-last-contact = last contact { $date }
retention-untick = Untick anyone to keep. Erasing is for good, from the server and from every phone.
retention-dry-run = Count who would be erased
retention-none-chosen = Choose at least one person.
retention-would = { $count ->
    [one] { $count } person would be erased.
   *[other] { $count } people would be erased.
}
retention-left = { $count ->
    [one] { $count } chosen would be kept: contacted or consenting since the review, or already gone.
   *[other] { $count } chosen would be kept: contacted or consenting since the review, or already gone.
}
retention-erase = { $count ->
    [one] Erase { $count } person for good
   *[other] Erase { $count } people for good
}
retention-erased = { $count ->
    [one] { $count } person was erased. Every phone loses them at its next sync.
   *[other] { $count } people were erased. Every phone loses them at its next sync.
}
