## Signing in

sign-in = Sign in
sign-in-email = Email
sign-in-password = Password
