## Listening results: the rest of the screen is still in English only.

results-area-gone = Nid yw'r ardal a ddewisoch ar y ffôn hwn mwyach, felly mae'r canlyniadau hyn ar gyfer { $area }.

## How the doors knocked ended

results-outcomes = Canlyniadau
results-outcomes-intro = Sut daeth { $knocked ->
    [zero] { $knocked } drws
    [one] { $knocked } drws
    [two] { $knocked } ddrws
    [few] { $knocked } drws
    [many] { $knocked } drws
   *[other] { $knocked } o ddrysau
} y curwyd arnynt i ben. Mae drws lle atebodd pobl yn wahanol y diwrnod hwnnw yn cyfrif unwaith, o dan y pellaf yr aeth: sgwrs cyn gwrthod, gwrthod cyn neb gartref.
results-outcome-held = Wedi siarad
results-outcome-not-home = Neb gartref
results-outcome-refused = Wedi gwrthod
results-outcome-moved = Wedi symud
results-outcome-do-not-knock = Wedi gofyn i ni beidio â churo eto
results-outcome-wrong-number = Rhif anghywir
