## Meetings: house meetings, launch meetings, trainings and public meetings, and sign-in at them

meetings = Meetings
meetings-new = New meeting
meetings-none = No meetings yet.
meetings-waiting = Waiting for approval
meetings-coming-up = Coming up
meetings-held = Held
meetings-kind = Kind of meeting
meetings-kind-house = House meeting
meetings-kind-launch = Launch meeting
meetings-kind-training = Training
meetings-kind-public = Public meeting
meetings-came = { NUMBER($count) ->
    [one] { $count } person came.
   *[other] { $count } people came.
}
meetings-coming = { NUMBER($coming) } coming, { NUMBER($invited) } invited.
meetings-proposal-waits = A meeting you propose waits for an organiser of its area to approve it.
meetings-title = Title
meetings-area = Area
meetings-place = Where
meetings-starts = Starts
meetings-ends = Ends
meetings-capacity = How many fit (leave blank for no limit)
meetings-capacity-number = Give a whole number, like 12, or leave it blank.
meetings-ends-after-start = The end must be after the start.
meetings-save = Save meeting
meetings-not-here = This meeting is not on this phone.
meetings-hosted-by = Hosted by { $name }
meetings-waiting-for-approval = This meeting waits for an organiser of its area to approve it.
meetings-approve = Approve meeting
meetings-someone = Someone not on this phone
meetings-status-invited = Invited
meetings-status-coming = Coming
meetings-status-waiting = On the waiting list
meetings-status-came = Came
meetings-status-no-show = Did not come
meetings-status-declined = Cannot come
meetings-status-would-host = { $status }, would host a meeting
meetings-turnout = Who is coming and who came
meetings-count-invited = { NUMBER($count) } invited
meetings-count-coming = { NUMBER($count) } coming
meetings-count-waiting = { NUMBER($count) } waiting
meetings-count-declined = { NUMBER($count) } cannot come
meetings-count-came = { NUMBER($count) } came
meetings-count-walk-ins = { NUMBER($count) ->
    [one] { $count } walk-in
   *[other] { $count } walk-ins
}
meetings-count-counted = { NUMBER($count) } counted without details
meetings-count-no-shows = { NUMBER($count) } did not come
meetings-count-would-host = { NUMBER($count) ->
    [one] { $count } would host a meeting
   *[other] { $count } would host meetings
}
meetings-invite = Invite people
meetings-invite-search = Find someone by name, phone or email
meetings-invite-one = Invite
meetings-invite-person = Invite { $name }
meetings-invited = { $name } is invited.
meetings-invited-already = { $name } is on this meeting's list already.
meetings-move = Change the time or place
meetings-move-save = Save time and place
meetings-moved = The new time and place are saved.
meetings-sign-in = Sign-in on the night
meetings-sign-in-explained = Turns this phone or tablet into a sign-in form for this meeting. It works without signal, clears after each person and never shows who signed in before. You need the PIN you choose here to leave it.
meetings-start-sign-in = Start sign-in
meetings-prepare = Prepare sign-in
meetings-prepare-explained = Do this while you have signal. It puts on this phone what it needs to recognise people of { $area } who have met us before, and the code for signing in on their own phones. No phone numbers or email addresses are kept on it, only their scrambled forms and first names, and they go when you leave sign-in.
meetings-preparing = Preparing…
meetings-prepared = { NUMBER($count) ->
    [one] Prepared { DATETIME($at) }: { $count } person can be recognised.
   *[other] Prepared { DATETIME($at) }: { $count } people can be recognised.
}
meetings-prepared-partly = The area is too large to hold everyone: only some people can be recognised.
meetings-not-prepared = Not prepared: only people on this phone will be recognised.
meetings-prepare-again = Prepare again
meetings-prepare-needs-connection = Preparing needs a connection. Sign-in still works without it, recognising only people on this phone.

kiosk-choose-pin = Choose a PIN to leave sign-in (4 to 8 digits)
kiosk-pin-rule = The PIN must be 4 to 8 digits.
kiosk-welcome = Welcome to { $title }
kiosk-signed-in-so-far = { NUMBER($count) ->
    [one] { $count } person signed in so far.
   *[other] { $count } people signed in so far.
}
kiosk-under-16 = I am under 16
kiosk-name = Your name
kiosk-phone = Mobile or phone number
kiosk-email = Email
kiosk-postcode = Postcode
kiosk-may-we = How may we keep in touch?
kiosk-consent-sms = Text me
kiosk-consent-phone = Call me
kiosk-consent-email = Email me
kiosk-no-consent-kept = Tick none and we count you as here but keep nothing about you.
kiosk-would-host = I would host a meeting
kiosk-what-matters = What matters to you?
kiosk-sign-in = Sign in
kiosk-is-it-you = Have we met before?
kiosk-yes-i-am = Yes, I am { $name }
kiosk-no-new = No, I am new
kiosk-thanks = Thank you, you are signed in. Next person, please.
kiosk-thanks-counted = Thank you, you are counted. Next person, please.
kiosk-thanks-nothing-kept = Thank you, you are counted and we kept nothing about you. Next person, please.
kiosk-thanks-already = You were signed in already. Next person, please.
kiosk-email-needed = Give an email address to be emailed, or untick Email me.
kiosk-phone-needed = Give a phone number to be texted or called, or untick Text me and Call me.
kiosk-leave = Leave sign-in (host)
kiosk-host-pin = The host's PIN
kiosk-leave-now = Leave sign-in
kiosk-stay = Stay in sign-in
kiosk-wrong-pin = That is not the PIN. Sign-in stays on.
meetings-approve-and-trust = Approve and trust this host
meetings-trust-explained = A trusted host's next meetings need no approval.
meetings-follow-up = Follow up
meetings-follow-up-by = { NUMBER($count) ->
    [one] Arrange a one-to-one with the { $count } person who came, by { $date }.
   *[other] Arrange a one-to-one with each of the { $count } people who came, by { $date }.
}
meetings-chain = How meetings grew
meetings-grew-from = Grew from
meetings-led-to = Led to
meetings-grew-from-choice = The meeting its host came from
meetings-grew-from-none = None
meetings-of-replies = { NUMBER($came) } of the { NUMBER($replied) } who said they would come.
meetings-hosts-found = { NUMBER($count) ->
    [one] { $count } new host found.
   *[other] { $count } new hosts found.
}
meetings-speaker-is = Speaker: { $name }
meetings-make-speaker = Speaker
meetings-make-speaker-person = Make { $name } the speaker
meetings-speaker-named = { $name } is the speaker.
kiosk-code-label = A QR code for signing in on your own phone
kiosk-code-caption = Or scan this to sign in on your own phone.

rsvp = Replying to a meeting
rsvp-checking = Checking the link…
rsvp-link-over = This link no longer works: the meeting has started, ended or been called off. Ask whoever sent it for the latest.
rsvp-too-many = Too many tries from here just now. Wait a minute and try again.
rsvp-not-a-link = This link does not work. Check it was copied whole, or ask whoever sent it for it again.
rsvp-offline = There is no connection just now. Try again when there is signal.
rsvp-when = { $from } to { $to }
rsvp-will-you-come = Will you come?
rsvp-full = This meeting is full. Reply and you go on the waiting list: we will tell you if a place comes up.
rsvp-nothing-shown = We never show who else is coming.
rsvp-send = Reply
rsvp-done = Thank you, we look forward to seeing you there.
rsvp-waiting = Thank you. The meeting is full, so you are on the waiting list: we will tell you if a place comes up.
rsvp-signed-in = Thank you, you are signed in. Enjoy the meeting.
rsvp-signed-in-counted = Thank you, you are counted as here. Enjoy the meeting.
meetings-reply-link = Invite by link
meetings-reply-link-explained = A link anyone can use to reply, without an account: send it by WhatsApp, text or email. It works until the meeting starts and never shows who else is coming.
meetings-reply-link-make = Make the reply link
meetings-reply-link-label = Reply link for { $title }
meetings-reply-link-text = You are invited to { $title }, { $when }, at { $place }. Reply here:
meetings-reply-link-until = It works until { $date }.
meetings-needs-connection = Links are made on the server, so this needs a connection. Everything else still works.
meetings-by-text = texts
meetings-by-phone = calls
meetings-by-email = email
meetings-contact-by = Agreed to { $ways }.
meetings-raised = Raised { $issues }.
meetings-maybe-same = Maybe the same person as { $name } (same name and postcode): check before following up.
meetings-decline = { $name } cannot come
meetings-place-free = A place is free. { $name } has waited longest for one: give it to them, then let them know.
meetings-give-place = Give { $name } the place
