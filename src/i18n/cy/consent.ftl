## Tynnu caniatâd yn ôl drwy ddolen, i rywun heb gyfrif

consent = Eich caniatâd
consent-checking = Yn gwirio'ch dolen…
consent-intro = Dewiswch sut na chawn gysylltu â chi mwyach. Nid yw'r dudalen hon yn dangos pwy ydych chi: chi yn unig biau'r ddolen a ddilynoch.
consent-choose = Peidiwch â chysylltu â mi drwy
consent-topic-email = E-bost
consent-topic-sms = Neges destun
consent-topic-phone = Galwad ffôn
consent-topic-contact = Unrhyw ffordd o gwbl, am unrhyw beth
consent-none-chosen = Dewiswch o leiaf un.
consent-submit = Tynnu fy nghaniatâd yn ôl
consent-until = Mae'r ddolen hon yn gweithio tan { $date }.
consent-done = Wedi'i wneud. Ni fyddwn yn cysylltu â chi mwyach drwy: { $topics }.
consent-done-everything = Wedi'i wneud. Ni fyddwn yn cysylltu â chi o gwbl mwyach.
consent-change-mind = Os byddwch yn newid eich meddwl, dywedwch wrth y sawl a gysylltodd â chi.
consent-not-a-link = Nid yw'r ddolen hon yn gweithio. Gwiriwch fod y ddolen gyfan wedi'i chopïo o'r neges, neu atebwch y neges i ofyn.
consent-expired = Mae'r ddolen hon wedi dod i ben. Defnyddiwch y ddolen mewn neges fwy diweddar, neu atebwch y neges i ofyn.
consent-offline = Mae angen cysylltiad ar gyfer hyn. Agorwch y ddolen eto pan fydd gennych signal.
consent-too-many = Gormod o ymdrechion o'r cysylltiad hwn. Rhowch gynnig arall arni ymhen ychydig funudau.
