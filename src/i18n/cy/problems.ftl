## A value a form or the server refused, as a sentence shown beside its field

problem-missing = Mae angen hwn.
problem-wrong-type = Dylai hwn fod yn { $expected }.
problem-unknown-field = Nid yw hwn yn faes yn y cofnod hwn.
problem-empty = Rhaid i hwn beidio â bod yn wag.
problem-too-long = Rhaid i hwn fod yn { $max } nod neu lai.
problem-taken = Mae hwn yn cael ei ddefnyddio eisoes.
problem-too-short = Rhaid i hwn fod yn { $min } nod o leiaf.
problem-bad-name = Dim ond llythrennau, bylchau, collnodau, cysylltnodau ac atalnodau llawn all fod mewn enw.
problem-bad-phone = Nid yw hwn yn rhif ffôn yn y DU (fel 07700 900123) nac yn rhif rhyngwladol sy'n dechrau gyda +.
problem-bad-postcode = Nid yw hwn yn god post yn y DU (fel SW1A 1AA).
problem-bad-email = Nid yw hwn yn gyfeiriad e-bost.
problem-not-a-choice = Rhaid i hwn fod yn un o: { $allowed }.
problem-out-of-range = Rhaid i hwn fod rhwng { $min } a { $max }.
problem-repeated = Rhaid peidio ag ailadrodd gwerth.
problem-not-a-question = Nid yw hwn yn gwestiwn yn yr arolwg hwn.
problem-unknown-reference = Nid yw hwn yn cyfeirio at unrhyw beth y gallwch ei weld.
problem-too-many = Rhaid i hwn ddal { $max } eitem neu lai.
problem-guessable = Mae hwn yn rhy hawdd i'w ddyfalu.
problem-superseded = Fe atebon nhw hyn eto yn ddiweddarach, ar { $date }: yr ateb hwnnw sy'n sefyll.
problem-in-future = Rhaid i hwn beidio â bod yn y dyfodol.
problem-retired = Mae hwn wedi ymddeol: dewiswch un sy'n dal i gael ei ddefnyddio.
