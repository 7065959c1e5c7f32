## An organiser's tools on a walk list: who works it, its script and its survey

setup = Volunteers, script and survey
setup-given = { $name } now has this list.
setup-taken-off = { $name } no longer has this list. It leaves their phone when it next syncs.
setup-script-saved = The script "{ $title }" is saved for this list.
setup-survey-saved = The survey "{ $title }" is saved for this list.
setup-script-changed = The list's script is changed.
setup-survey-changed = The list's survey is changed.
setup-working = Working this list
setup-nobody = Nobody has this list yet.
setup-take-off-named = Take off this list: { $name }
setup-take-off = Take off
setup-give-to = Give it to
setup-give = Give the list
setup-script = Script
setup-script-for-list = Script for this list
setup-no-script = No script
setup-new-script = Write a new script
setup-title = Title
setup-what-to-say = What to say
setup-save-script = Save script
setup-survey = Survey
setup-survey-for-list = Survey for this list
setup-no-survey = No survey
setup-new-survey = Write a new survey
setup-question-n = Question { NUMBER($n) }
setup-question = Question
setup-choices = Answers to choose from, one per line (none for a free answer)
setup-add-question = Add a question
setup-save-survey = Save survey
setup-needs-question = A survey needs at least one question.
setup-answers = Answers so far
setup-answers-explained = Each person once, with their latest answers, from every list that asks this survey.
setup-people = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
setup-answered = { $count ->
    [one] { $count } person answered
   *[other] { $count } people answered
}
