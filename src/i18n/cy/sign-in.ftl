## Signing in

sign-in = Mewngofnodi
sign-in-email = E-bost
sign-in-password = Cyfrinair
