## A value a form or the server refused, as a sentence shown beside its field

problem-missing = This is required.
problem-wrong-type = This should be { $expected }.
problem-unknown-field = This is not a field of this record.
problem-empty = This must not be empty.
problem-too-long = { $max ->
    [one] This must be at most { $max } character.
   *[other] This must be at most { $max } characters.
}
problem-taken = This is already in use.
problem-too-short = { $min ->
    [one] This must be at least { $min } character.
   *[other] This must be at least { $min } characters.
}
problem-bad-name = A name may contain only letters, spaces, apostrophes, hyphens and full stops.
problem-bad-phone = This is not a UK phone number (like 07700 900123) or an international one starting with +.
problem-bad-postcode = This is not a UK postcode (like SW1A 1AA).
problem-bad-email = This is not an email address.
problem-not-a-choice = This must be one of: { $allowed }.
problem-out-of-range = This must be between { $min } and { $max }.
problem-not-after = This must be after { $other }.
problem-wrong-parent = This must be { $expected }.
problem-self-reference = This must not refer to the record itself.
problem-only-when = This may be set only when { $condition }.
problem-repeated = This must not repeat a value.
problem-not-a-question = This is not a question of this survey.
problem-unknown-reference = This does not refer to anything you can see.
problem-too-many = This must hold at most { $max } entries.
problem-area-mismatch = This must be the area of the { $other } it is about.
problem-cycle = This must not be an area inside this one.
problem-guessable = This is too easy to guess.
problem-superseded = They answered this again later, on { $date }: that answer stands.
problem-in-future = This must not be in the future.
problem-retired = This has been retired: choose one still in use.
