## Training: who is trained in what, recorded by hand or from a training meeting

training-title = Training
training-for-organisers = Training records are for organisers.
training-intro = Pick a module to see who in an area is trained in it.
training-area = Where
training-area-note = The area and every ward in it.
training-module = Module
training-choose-module = Choose a module
training-choose = Choose a module to see who is trained in it.
training-none-yet = No one has been recorded as trained yet. Record a training on a person's page, or from a training meeting once it has begun.
training-found = { $count ->
    [one] { $count } person trained in { $module } here.
   *[other] { $count } people trained in { $module } here.
}
training-list = People trained
training-on = Trained on { $day }
training-at = At { $meeting }
training-record = Record a training
training-day = Day they were trained
training-enter-day = Enter the day they were trained, such as 19/09/2026.
training-save = Record training
training-recorded = Recorded: trained in { $module } on { $day }.
training-from-meeting = Training given at this meeting
training-given = { $count ->
    [one] { $count } person recorded as trained in { $module }
   *[other] { $count } people recorded as trained in { $module }
}
training-record-everyone = Record everyone who came as trained
training-no-one-new = Everyone who came is already recorded as trained in this module.
training-recorded-everyone = { $count ->
    [one] { $count } person recorded as trained.
   *[other] { $count } people recorded as trained.
}
