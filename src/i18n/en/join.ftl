## Joining through an invitation link

join = Join { -app }
join-loading = Checking your invitation…
join-invited = You are invited as { $role } in { $area }.
join-choose = Choose how you will sign in. The link works once, until { $date }.
join-name = Your name
join-email = Your email
join-password = Choose a password
join-password-hint = At least 10 characters. A few unrelated words are easy to remember and hard to guess.
join-submit = Join and sign in
join-not-a-link = This is not a working invitation link. Check that the whole link was copied, or ask your organiser for a new one.
join-used = This invitation has already been used to join. Sign in with the email and password chosen then.
join-withdrawn = This invitation was withdrawn. Ask your organiser for a new one if you should still join.
join-expired = This invitation has expired. Ask your organiser to send it again.
join-offline = Joining needs a connection. Open the link again when you have signal.
join-signed-in = This phone is signed in as { $name }. To join as someone else, sign out on the start screen first, then open the link again.
join-go-sign-in = Go to sign in
join-some-wrong = Some details need correcting: see the fields above.
