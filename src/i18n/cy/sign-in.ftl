## Signing in

sign-in = Mewngofnodi
sign-in-email = E-bost
sign-in-password = Cyfrinair
sign-in-no-match = Nid yw'r e-bost a'r cyfrinair hynny'n cyfateb i gyfrif.
sign-in-wait = Gormod o ymdrechion. Arhoswch ychydig, yna rhowch gynnig arall arni.
