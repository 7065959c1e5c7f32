## Signing in

sign-in = Sign in
sign-in-email = Email
sign-in-password = Password
sign-in-no-match = That email and password do not match an account.
sign-in-wait = Too many tries. Wait a moment, then try again.
