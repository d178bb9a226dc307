"""Demo articles: procedures, templates, methods, analyses, guides and members' cases in Danish.

Idempotent: articles are keyed by title. A new article is written through the services (so it
gets its versions and sanitised HTML); an existing one only has its state and dates refreshed.
Some articles have several versions, some are past their review date, a few wait for review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from cpv.models import CpvCode
from tenders.models import Tender

from .models import Article, Status
from .services import article_create, article_update

SECRETARIAT = "sekretariat@12by.test"


@dataclass
class Demo:
    title: str
    kind: str
    phases: list[str]
    aims: list[str]
    levers: list[str]
    summary: str
    body: str
    author: str = SECRETARIAT
    status: str = Status.PUBLISHED
    cpv: list[str] = field(default_factory=list)
    # Later versions: (body, change note) applied in order after the first.
    revisions: list[tuple[str, str]] = field(default_factory=list)
    review_in_days: int = 300  # negative: past its review date (stale)
    views: int = 0


def _body(*sections: tuple[str, str]) -> str:
    return "\n\n".join(f"## {heading}\n\n{text}" for heading, text in sections)


PROC = "standard_procedure"
DEMOS: list[Demo] = [
    Demo(
        "Standardprocedure for fællesudbud",
        PROC,
        ["needs", "market_dialogue", "tender", "evaluation"],
        ["budget_room"],
        ["standardise", "collaborate"],
        "Trin for trin gennem et fællesudbud i 12-by Gruppen: fra behovsafdækning til kontraktunderskrift.",
        _body(
            (
                "Formål",
                "Proceduren sikrer, at alle fællesudbud gennemføres ens, så medlemmerne ved, hvad de forpligter sig til, og hvornår.",
            ),
            (
                "Trin",
                "1. Sekretariatet foreslår udbuddet i udbudsplanen.\n2. Medlemmerne tilkendegiver deltagelse og volumen inden fristen.\n3. Arbejdsgruppen afdækker behov og holder markedsdialog.\n4. Udbudsmaterialet godkendes af arbejdsgruppen.\n5. Udbuddet annonceres, tilbud evalueres, og der tildeles kontrakt.",
            ),
            (
                "Ansvar",
                "Sekretariatet er udbudsansvarlig. Hvert deltagende medlem udpeger en fagperson til arbejdsgruppen.",
            ),
        ),
        revisions=[
            (
                _body(
                    (
                        "Formål",
                        "Proceduren sikrer, at alle fællesudbud gennemføres ens, så medlemmerne ved, hvad de forpligter sig til, og hvornår.",
                    ),
                    (
                        "Trin",
                        "1. Sekretariatet foreslår udbuddet i udbudsplanen.\n2. Medlemmerne tilkendegiver bindende deltagelse og volumen inden fristen (normalt 6 uger).\n3. Arbejdsgruppen afdækker behov og holder markedsdialog.\n4. Udbudsmaterialet godkendes af arbejdsgruppen.\n5. Udbuddet annonceres, tilbud evalueres, og der tildeles kontrakt.",
                    ),
                    (
                        "Ansvar",
                        "Sekretariatet er udbudsansvarlig. Hvert deltagende medlem udpeger en fagperson til arbejdsgruppen.",
                    ),
                ),
                "Frist for tilslutning præciseret",
            ),
            (
                _body(
                    (
                        "Formål",
                        "Proceduren sikrer, at alle fællesudbud gennemføres ens, så medlemmerne ved, hvad de forpligter sig til, og hvornår.",
                    ),
                    (
                        "Trin",
                        "1. Sekretariatet foreslår udbuddet i udbudsplanen.\n2. Medlemmerne tilkendegiver bindende deltagelse og volumen inden fristen (normalt 6 uger).\n3. Arbejdsgruppen afdækker behov og holder markedsdialog.\n4. Udbudsmaterialet godkendes af arbejdsgruppen.\n5. Udbuddet annonceres, tilbud evalueres, og der tildeles kontrakt.\n6. Aftalen implementeres hos medlemmerne, og aftaleanvendelsen følges op kvartalsvis.",
                    ),
                    (
                        "Ansvar",
                        "Sekretariatet er udbudsansvarlig. Hvert deltagende medlem udpeger en fagperson til arbejdsgruppen og en implementeringsansvarlig.",
                    ),
                ),
                "Implementering og opfølgning tilføjet",
            ),
        ],
        views=64,
    ),
    Demo(
        "Procedure for tilslutning og volumenerklæring",
        PROC,
        ["needs"],
        ["budget_room"],
        ["collaborate", "data"],
        "Sådan erklærer et medlem deltagelse og forventet årligt forbrug i et fællesudbud.",
        _body(
            (
                "Hvornår",
                "Når sekretariatet åbner for tilslutning, har medlemmet normalt seks uger til at svare.",
            ),
            (
                "Sådan gør I",
                "Indkøberen angiver deltagelse i portalen og erklærer forventet årligt forbrug pr. delaftale i kroner ekskl. moms. Tallene bør bygge på de seneste 12 måneders forbrugsdata.",
            ),
            (
                "Bindende",
                "Tilslutningen er bindende: medlemmet forpligter sig til at bruge aftalen i hele løbetiden.",
            ),
        ),
        views=41,
    ),
    Demo(
        "Procedure for evaluering af tilbud",
        PROC,
        ["evaluation"],
        ["quality"],
        ["requirements"],
        "Fast fremgangsmåde for evaluering, så vurderingen kan dokumenteres og tåler en klage.",
        _body(
            (
                "Forberedelse",
                "Evalueringsgruppen gennemgår evalueringsmodellen, inden tilbuddene åbnes. Alle medlemmer af gruppen underskriver en habilitetserklæring.",
            ),
            (
                "Vurdering",
                "Hvert tilbud vurderes selvstændigt efter underkriterierne. Point begrundes skriftligt med henvisning til tilbuddets indhold.",
            ),
            (
                "Dokumentation",
                "Evalueringsnotatet gemmes i udbudsmappen og danner grundlag for tildelingsbeslutningen.",
            ),
        ),
        cpv=[],
        views=37,
    ),
    Demo(
        "Procedure for markedsdialog",
        PROC,
        ["market_dialogue"],
        ["quality", "climate"],
        ["requirements", "collaborate"],
        "Regler for dialog med leverandører før et udbud, så ligebehandlingen sikres.",
        _body(
            (
                "Ligebehandling",
                "Alle interesserede leverandører får samme information. Referater offentliggøres sammen med udbudsmaterialet.",
            ),
            (
                "Former",
                "Dialogen kan ske som informationsmøde, én-til-én-møder eller skriftlig høring af udkast til kravspecifikation.",
            ),
        ),
        views=22,
    ),
    Demo(
        "Procedure for kontraktopfølgning",
        PROC,
        ["contract_management"],
        ["budget_room", "quality"],
        ["data"],
        "Hvordan sekretariatet og medlemmerne følger op på leverandørens opfyldelse af kontrakten.",
        _body(
            (
                "Statusmøder",
                "Der holdes statusmøde med leverandøren mindst to gange om året. Dagsordenen omfatter leveringsevne, priser, klager og aftaleanvendelse.",
            ),
            (
                "Nøgletal",
                "Leverandøren indsender salgsstatistik pr. medlem hvert kvartal. Sekretariatet sammenholder den med medlemmernes egne forbrugsdata.",
            ),
        ),
        review_in_days=-40,
        views=18,
    ),
    Demo(
        "Procedure for håndtering af klager over udbud",
        PROC,
        ["tender", "evaluation"],
        ["quality"],
        ["standardise"],
        "Hvad sekretariatet gør, når en tilbudsgiver klager over et udbud eller en tildeling.",
        _body(
            (
                "Modtagelse",
                "Klagen registreres og sendes til udbudsjuristen samme dag. Standstill-perioden overholdes altid.",
            ),
            (
                "Vurdering",
                "Juristen vurderer, om klagen giver anledning til at omgøre beslutningen, og orienterer arbejdsgruppen.",
            ),
        ),
        review_in_days=-120,
    ),
    Demo(
        "Skabelon: udbudsbetingelser for rammeaftaler",
        "template",
        ["tender"],
        ["budget_room"],
        ["standardise"],
        "Skabelon til udbudsbetingelser ved offentligt udbud af rammeaftaler med en eller flere leverandører.",
        _body(
            (
                "Brug",
                "Skabelonen udfyldes af sekretariatet. Gule felter tilpasses udbuddet; resten står fast.",
            ),
            (
                "Indhold",
                "Ordregivere, aftalens omfang og værdi, delaftaler, tidsplan, egnethedskrav, tildelingskriterier og krav til tilbuddets form.",
            ),
            (
                "Bemærk",
                "Udbudsbetingelserne skal nævne alle deltagende kommuner som ordregivere, også når ét medlem dækker to kommuner.",
            ),
        ),
        revisions=[
            (
                _body(
                    (
                        "Brug",
                        "Skabelonen udfyldes af sekretariatet. Gule felter tilpasses udbuddet; resten står fast.",
                    ),
                    (
                        "Indhold",
                        "Ordregivere, aftalens omfang, estimeret og maksimal værdi, delaftaler, tidsplan, egnethedskrav, tildelingskriterier og krav til tilbuddets form.",
                    ),
                    (
                        "Bemærk",
                        "Udbudsbetingelserne skal nævne alle deltagende kommuner som ordregivere, også når ét medlem dækker to kommuner.",
                    ),
                ),
                "Maksimal værdi tilføjet efter EU-Domstolens praksis",
            ),
        ],
        views=52,
    ),
    Demo(
        "Skabelon: kravspecifikation",
        "template",
        ["tender"],
        ["quality"],
        ["requirements"],
        "Skabelon til kravspecifikation med mindstekrav og konkurrenceparametre.",
        _body(
            (
                "Opbygning",
                "Kravene opdeles i mindstekrav (skal opfyldes) og konkurrenceparametre (vurderes). Hvert krav har et nummer og en begrundelse.",
            ),
            (
                "Gode råd",
                "Skriv krav, der kan dokumenteres. Undgå mærker og varenumre uden 'eller tilsvarende'.",
            ),
        ),
        views=35,
    ),
    Demo(
        "Skabelon: tilbudsliste",
        "template",
        ["tender", "evaluation"],
        ["budget_room"],
        ["standardise", "data"],
        "Regnearksskabelon til tilbudslisten med varelinjer, enheder og estimerede mængder.",
        _body(
            (
                "Brug",
                "Tilbudslisten bygges op fra medlemmernes forbrugsdata. Hver linje har beskrivelse, enhed og estimeret årlig mængde.",
            ),
            (
                "Evaluering",
                "Den samlede evalueringspris er summen af enhedspris gange mængde for alle linjer.",
            ),
        ),
    ),
    Demo(
        "Skabelon: kontrakt for rammeaftale",
        "template",
        ["tender", "contract_management"],
        ["quality"],
        ["standardise"],
        "Standardkontrakt for rammeaftaler med bestemmelser om statistik, misligholdelse og bod.",
        _body(
            (
                "Indhold",
                "Aftalegrundlag, priser og prisregulering, levering, statistik, misligholdelse, bod, ophør og tvister.",
            ),
            (
                "Prisregulering",
                "Priserne reguleres én gang årligt efter nettoprisindekset, tidligst 12 måneder efter aftalens start.",
            ),
        ),
        review_in_days=-15,
    ),
    Demo(
        "Skabelon: habilitetserklæring",
        "template",
        ["evaluation"],
        ["quality"],
        ["standardise"],
        "Erklæring, som alle i evalueringsgruppen underskriver, før tilbuddene åbnes.",
        _body(
            (
                "Brug",
                "Erklæringen underskrives af alle, der deltager i evalueringen, og gemmes i udbudsmappen.",
            )
        ),
    ),
    Demo(
        "Skabelon: referat af markedsdialog",
        "template",
        ["market_dialogue"],
        ["quality"],
        ["collaborate"],
        "Skabelon til referat af dialogmøder med leverandører, klar til offentliggørelse.",
        _body(
            (
                "Indhold",
                "Dato, deltagere, emner, leverandørens input og hvordan input bruges i udbuddet.",
            )
        ),
    ),
    Demo(
        "Metode: behovsafdækning med brugerne",
        "method",
        ["needs"],
        ["quality"],
        ["rethink_need", "behaviour"],
        "Sådan afdækker I det reelle behov sammen med dem, der bruger varerne i hverdagen.",
        _body(
            (
                "Interviews",
                "Tal med fem til ti brugere på forskellige arbejdspladser. Spørg til opgaven, ikke til produktet.",
            ),
            (
                "Observation",
                "Se varerne blive brugt. Det afslører ofte spild og særønsker, som ikke er nødvendige.",
            ),
            (
                "Resultat",
                "En kort behovsbeskrivelse, som arbejdsgruppen godkender, før kravspecifikationen skrives.",
            ),
        ),
        revisions=[
            (
                _body(
                    (
                        "Interviews",
                        "Tal med fem til ti brugere på forskellige arbejdspladser. Spørg til opgaven, ikke til produktet.",
                    ),
                    (
                        "Observation",
                        "Se varerne blive brugt. Det afslører ofte spild og særønsker, som ikke er nødvendige.",
                    ),
                    (
                        "Forbrugsdata",
                        "Sammenhold brugernes udsagn med forbrugsdata fra de seneste to år.",
                    ),
                    (
                        "Resultat",
                        "En kort behovsbeskrivelse, som arbejdsgruppen godkender, før kravspecifikationen skrives.",
                    ),
                ),
                "Afsnit om forbrugsdata",
            ),
        ],
        views=29,
    ),
    Demo(
        "Metode: totalomkostninger (TCO) i evalueringen",
        "method",
        ["tender", "evaluation"],
        ["climate", "budget_room"],
        ["requirements", "data"],
        "Brug totalomkostninger over levetiden i stedet for indkøbspris alene.",
        _body(
            (
                "Hvornår",
                "TCO giver mening for udstyr med drift, energiforbrug eller vedligehold, fx it-udstyr, køretøjer og hvidevarer.",
            ),
            (
                "Model",
                "Indkøbspris + energi + service + bortskaffelse over den forventede levetid. Energiforbrug beregnes ud fra oplyste data.",
            ),
        ),
        cpv=["30213000", "34110000"],
        views=33,
    ),
    Demo(
        "Metode: grønne krav i udbud",
        "method",
        ["tender"],
        ["climate"],
        ["requirements"],
        "Sådan stiller I miljø- og klimakrav, der kan kontrolleres og skaber konkurrence.",
        _body(
            (
                "Miljømærker",
                "Henvis til kriterierne bag et miljømærke (fx Svanemærket) og accepter tilsvarende dokumentation.",
            ),
            (
                "Klimakrav",
                "Stil krav til emissionsfri kørsel, emballage og returordninger, hvor markedet kan levere.",
            ),
        ),
        cpv=["39830000", "90910000"],
        views=47,
    ),
    Demo(
        "Metode: volumenpuljer og fordeling af gebyr",
        "method",
        ["needs", "contract_management"],
        ["budget_room"],
        ["collaborate", "data"],
        "Sådan lægges medlemmernes volumen sammen, og sådan fordeles administrationsgebyret.",
        _body(
            (
                "Pulje",
                "Volumen summeres pr. delaftale. Den samlede volumen bruges i udbudsmaterialet som estimat.",
            ),
            ("Gebyr", "Gebyret fordeles efter indbyggertal, med et fast grundbeløb pr. medlem."),
        ),
    ),
    Demo(
        "Metode: opfølgning på aftaleanvendelse",
        "method",
        ["contract_management"],
        ["budget_room"],
        ["data", "behaviour"],
        "Mål, hvor stor en del af forbruget der købes på aftalerne, og følg op, hvor det halter.",
        _body(
            (
                "Måling",
                "Aftaleanvendelse = køb hos aftaleleverandøren / samlet køb i kategorien, opgjort på fakturalinjer.",
            ),
            (
                "Opfølgning",
                "Del tallene med budgetansvarlige hvert kvartal. Ledelsesinformation virker bedst, når den er konkret og sammenlignelig.",
            ),
        ),
        revisions=[
            (
                _body(
                    (
                        "Måling",
                        "Aftaleanvendelse = køb hos aftaleleverandøren / samlet køb i kategorien, opgjort på fakturalinjer (e-faktura).",
                    ),
                    (
                        "Opfølgning",
                        "Del tallene med budgetansvarlige hvert kvartal. Ledelsesinformation virker bedst, når den er konkret og sammenlignelig.",
                    ),
                ),
                "Datakilde præciseret",
            ),
        ],
        views=58,
    ),
    Demo(
        "Metode: udbud med forhandling",
        "method",
        ["tender"],
        ["quality"],
        ["requirements"],
        "Hvornår og hvordan udbud med forhandling bruges, og hvad forhandlingen må handle om.",
        _body(
            (
                "Betingelser",
                "Proceduren kan bruges, når behovet ikke kan opfyldes uden tilpasning af tilgængelige løsninger, fx ved it-systemer.",
            )
        ),
        cpv=["48000000", "72000000"],
        review_in_days=-3,
    ),
    Demo(
        "Metode: miniudbud på rammeaftaler",
        "method",
        ["tender", "contract_management"],
        ["budget_room"],
        ["standardise"],
        "Sådan gennemføres et miniudbud blandt leverandørerne på en rammeaftale.",
        _body(
            (
                "Trin",
                "Send opfordring til alle leverandører på delaftalen, giv en rimelig frist, og tildel efter de kriterier, rammeaftalen fastsætter.",
            )
        ),
    ),
    Demo(
        "Analyse: forbrug af kontorartikler 2025",
        "analysis",
        ["needs"],
        ["budget_room", "climate"],
        ["data", "rethink_need"],
        "Medlemmernes forbrug af kontorartikler: hvad der købes, hos hvem, og hvor meget der ligger uden for aftalen.",
        _body(
            (
                "Resultat",
                "Tre fjerdedele af forbruget ligger på ti varegrupper. Papir og toner fylder mest.",
            ),
            ("Anbefaling", "Et mindre standardsortiment vil give bedre priser og mindre spild."),
        ),
        cpv=["30192000", "30199000"],
        views=26,
    ),
    Demo(
        "Analyse: aftaleanvendelse på fødevareaftalen",
        "analysis",
        ["contract_management"],
        ["budget_room"],
        ["data"],
        "Hvor meget medlemmernes køkkener køber på fødevareaftalen, og hvad der forklarer forskellene.",
        _body(
            (
                "Fund",
                "Aftaleanvendelsen varierer fra 62 til 94 procent. De højeste tal findes, hvor køkkenerne bestiller i et fælles e-handelssystem.",
            )
        ),
        cpv=["15000000"],
        views=31,
    ),
    Demo(
        "Analyse: markedet for rengøringsydelser",
        "analysis",
        ["needs", "market_dialogue"],
        ["quality", "budget_room"],
        ["requirements"],
        "Leverandører, prisniveau og kapacitet på markedet for rengøring i Syd- og Midtjylland.",
        _body(
            (
                "Fund",
                "Markedet består af få store og mange små leverandører. Opdeling i geografiske delaftaler øger konkurrencen.",
            )
        ),
        cpv=["90910000"],
        review_in_days=-60,
    ),
    Demo(
        "Analyse: klimaaftryk af indkøb",
        "analysis",
        ["needs"],
        ["climate"],
        ["data", "rethink_need"],
        "Et spendbaseret skøn over klimaaftrykket af medlemmernes indkøb fordelt på kategorier.",
        _body(
            (
                "Metode",
                "Forbruget i kroner ganges med emissionsfaktorer pr. kategori. Bygge og anlæg, transport og fødevarer giver det største aftryk.",
            )
        ),
        views=44,
    ),
    Demo(
        "Analyse: potentiale ved fælles indkøb af el",
        "analysis",
        ["needs"],
        ["budget_room", "climate"],
        ["collaborate"],
        "Hvad medlemmerne kan opnå ved et fælles udbud af el med oprindelsesgarantier.",
        _body(
            (
                "Fund",
                "Et samlet forbrug giver bedre vilkår for prissikring. Oprindelsesgarantier øger prisen lidt, men understøtter klimamålene.",
            )
        ),
        cpv=["09310000"],
    ),
    Demo(
        "Vejledning: sådan bruger du videnbanken",
        "guide",
        [],
        ["quality"],
        ["collaborate"],
        "Søg, læs og bidrag: videnbanken er fælles for sekretariatet og alle medlemmer.",
        _body(
            (
                "Søgning",
                "Søgningen forstår dansk: søger du på 'udbud', finder du også 'udbuddet' og 'udbuddene'.",
            ),
            (
                "Bidrag",
                "Indkøbere kan skrive kladder og sende dem til godkendelse. Sekretariatet læser, kommenterer og offentliggør.",
            ),
        ),
        views=70,
    ),
    Demo(
        "Vejledning: tærskelværdier 2026–2027",
        "guide",
        ["tender"],
        ["quality"],
        ["standardise"],
        "De gældende EU-tærskelværdier for varer, tjenesteydelser og bygge- og anlægsarbejder.",
        _body(
            (
                "Bemærk",
                "Beregn kontraktens værdi for hele løbetiden inklusive optioner og for alle deltagende kommuner tilsammen.",
            )
        ),
        revisions=[
            (
                _body(
                    (
                        "Bemærk",
                        "Beregn kontraktens værdi for hele løbetiden inklusive optioner og for alle deltagende kommuner tilsammen. Rammeaftalens maksimale værdi skal også angives.",
                    )
                ),
                "Maksimal værdi",
            ),
        ],
        views=49,
    ),
    Demo(
        "Vejledning: e-handel og katalogdata",
        "guide",
        ["contract_management"],
        ["budget_room"],
        ["digital", "behaviour"],
        "Sådan kommer aftalens varer i e-handelssystemet, så medarbejderne køber rigtigt.",
        _body(
            (
                "Katalog",
                "Leverandøren leverer katalog i det aftalte format. Sekretariatet kontrollerer priserne mod tilbudslisten før publicering i e-handel.",
            )
        ),
    ),
    Demo(
        "Vejledning: kunstig intelligens i indkøbsarbejdet",
        "guide",
        ["needs", "tender"],
        ["budget_room"],
        ["digital"],
        "Hvor AI kan hjælpe indkøberen, og hvor man skal være varsom.",
        _body(
            (
                "Muligheder",
                "Klassifikation af fakturalinjer, første udkast til kravspecifikationer og opsummering af høringssvar.",
            ),
            (
                "Varsomhed",
                "Del aldrig fortrolige tilbud eller personoplysninger med eksterne tjenester.",
            ),
        ),
        review_in_days=-8,
    ),
    Demo(
        "Vejledning: implementering af en ny aftale",
        "guide",
        ["contract_management"],
        ["quality", "budget_room"],
        ["behaviour", "collaborate"],
        "Tjekliste til den implementeringsansvarlige i kommunen, når en ny aftale træder i kraft.",
        _body(
            (
                "Tjekliste",
                "- Informér indkøbere og budgetansvarlige.\n- Opdatér e-handelskataloget.\n- Opsig lokale aftaler.\n- Følg aftaleanvendelsen efter tre måneder.",
            )
        ),
        views=38,
    ),
    Demo(
        "Vejledning: sociale klausuler",
        "guide",
        ["tender", "contract_management"],
        ["quality"],
        ["requirements"],
        "Arbejdsklausuler og krav om praktikpladser: hvornår de bruges, og hvordan de kontrolleres.",
        _body(
            (
                "Kontrol",
                "Leverandøren skal på forlangende dokumentere løn- og ansættelsesvilkår. Kontrollen foretages stikprøvevis.",
            )
        ),
    ),
    Demo(
        "Vejledning: dokumentation i udbudsmappen",
        "guide",
        ["tender", "evaluation"],
        ["quality"],
        ["standardise"],
        "Hvad der skal gemmes undervejs i et udbud, så beslutningerne kan dokumenteres.",
        _body(
            (
                "Indhold",
                "Behovsbeskrivelse, referater af markedsdialog, udbudsmateriale, spørgsmål og svar, tilbud, evalueringsnotat og beslutninger.",
            )
        ),
        review_in_days=-200,
    ),
    Demo(
        "Odense: fælles indkøb af arbejdstøj",
        "member_case",
        ["needs", "tender"],
        ["climate", "budget_room"],
        ["standardise", "rethink_need"],
        "Odense samlede 14 lokale aftaler om arbejdstøj i én og sparede både penge og tøj.",
        _body(
            (
                "Udgangspunkt",
                "Fjorten forvaltninger købte arbejdstøj hver for sig, med over 400 forskellige varer.",
            ),
            (
                "Resultat",
                "Et fælles sortiment på 80 varer, vask og reparation i aftalen, og 18 procent lavere udgifter.",
            ),
        ),
        author="indkob@odense.test",
        cpv=["18100000"],
        views=27,
    ),
    Demo(
        "Aarhus: data om aftaleanvendelse til lederne",
        "member_case",
        ["contract_management"],
        ["budget_room"],
        ["data", "behaviour"],
        "Aarhus sender kvartalsvis aftaleanvendelse til alle budgetansvarlige ledere.",
        _body(
            (
                "Effekt",
                "Aftaleanvendelsen steg fra 78 til 89 procent på et år, mest hvor lederne selv fulgte op.",
            )
        ),
        author="indkob@aarhus.test",
        views=24,
    ),
    Demo(
        "Sønderborg: markedsdialog om elbiler",
        "member_case",
        ["market_dialogue"],
        ["climate"],
        ["collaborate", "requirements"],
        "Sønderborgs dialog med forhandlere og leasingselskaber før udbud af elbiler til hjemmeplejen.",
        _body(
            (
                "Læring",
                "Leverandørerne pegede på ladeinfrastruktur som den største udfordring, ikke bilerne.",
            )
        ),
        author="indkob@soenderborg.test",
        cpv=["34110000"],
    ),
    Demo(
        "Vejle: standardsortiment af kontormøbler",
        "member_case",
        ["needs"],
        ["climate", "budget_room"],
        ["standardise", "rethink_need"],
        "Vejle genbruger møbler først og køber nyt fra et lille standardsortiment.",
        _body(("Resultat", "Genbrug dækkede en tredjedel af behovet det første år.")),
        author="indkob@vejle.test",
        cpv=["39130000"],
        review_in_days=-25,
    ),
    Demo(
        "Holstebro-Lemvig: én indkøbsfunktion for to kommuner",
        "member_case",
        ["needs", "contract_management"],
        ["budget_room"],
        ["collaborate"],
        "Hvordan to kommuner deler indkøbsfunktion og stadig er hver sin ordregiver.",
        _body(
            (
                "Organisering",
                "Én indkøbsafdeling, to CVR-numre. Begge kommuner nævnes som ordregivere i fællesudbud.",
            )
        ),
        author="indkob@holstebro-lemvig.test",
    ),
    Demo(
        "Esbjerg: automatisk kontrol af fakturapriser",
        "member_case",
        ["contract_management"],
        ["budget_room"],
        ["digital", "data"],
        "Esbjerg sammenligner fakturapriser med aftalepriser automatisk og finder fejl for hundredtusinder.",
        _body(
            (
                "Metode",
                "Fakturalinjer matches mod tilbudslisten på varenummer. Afvigelser over to procent sendes til leverandøren.",
            )
        ),
        author="indkob@esbjerg.test",
        views=21,
    ),
    # Waiting for review, and drafts: visible to their organisation and the secretariat only.
    Demo(
        "Kolding: erfaringer med dynamisk indkøbssystem",
        "member_case",
        ["tender"],
        ["budget_room"],
        ["digital"],
        "Koldings erfaringer med et dynamisk indkøbssystem til vikarydelser.",
        _body(
            (
                "Erfaringer",
                "Systemet gav flere tilbudsgivere, men kræver løbende administration af optagelse.",
            )
        ),
        author="indkob@kolding.test",
        status=Status.IN_REVIEW,
    ),
    Demo(
        "Odense: tjekliste til leverandørmøder",
        "template",
        ["contract_management"],
        ["quality"],
        ["collaborate"],
        "Odenses tjekliste til statusmøder med leverandører.",
        _body(
            (
                "Tjekliste",
                "- Leveringsevne\n- Fejl og klager\n- Priser og prisregulering\n- Aftaleanvendelse\n- Bæredygtighed",
            )
        ),
        author="indkob@odense.test",
        status=Status.IN_REVIEW,
    ),
    Demo(
        "Randers: behovsanalyse for madservice",
        "analysis",
        ["needs"],
        ["quality"],
        ["rethink_need"],
        "Kladde: behovsanalyse før udbud af madservice til ældre.",
        _body(("Status", "Interviews med borgere og personale er i gang.")),
        author="indkob@randers.test",
        status=Status.DRAFT,
        cpv=["55520000"],
    ),
    Demo(
        "Odense: erfaringer med grønne transportkrav",
        "member_case",
        ["tender"],
        ["climate"],
        ["requirements"],
        "Kladde om krav til emissionsfri varelevering.",
        _body(("Status", "Afventer data fra første kontraktår.")),
        author="indkob@odense.test",
        status=Status.DRAFT,
    ),
    Demo(
        "Gammel vejledning om e-auktioner",
        "guide",
        ["evaluation"],
        ["budget_room"],
        ["digital"],
        "Arkiveret: e-auktioner bruges ikke længere i fællesudbud.",
        _body(("Status", "Arkiveret, fordi metoden ikke længere anvendes.")),
        status=Status.ARCHIVED,
    ),
    Demo(
        "Standardprocedure for opsigelse og genudbud",
        PROC,
        ["contract_management", "needs"],
        ["budget_room"],
        ["standardise", "data"],
        "Hvornår et genudbud skal i gang, så der ikke opstår et aftaletomrum.",
        _body(
            (
                "Tidsplan",
                "Genudbud planlægges 18 måneder før aftalens udløb. Beslutning om optioner træffes senest 9 måneder før.",
            )
        ),
        views=19,
    ),
]


def seed() -> list[Article]:
    """Create or refresh the demo articles."""
    people = {
        u.email: u for u in User.objects.filter(email__in={d.author for d in DEMOS} | {SECRETARIAT})
    }
    staff = people[SECRETARIAT]
    today = timezone.localdate()
    tenders = list(Tender.objects.order_by("reference")[:3])
    articles = []
    for index, demo in enumerate(DEMOS):
        author = people.get(demo.author, staff)
        article = Article.objects.filter(title=demo.title).first()
        if article is None:
            article = article_create(
                user=author, title=demo.title, kind=demo.kind, summary=demo.summary,
                body=demo.body, phases=demo.phases, aims=demo.aims, levers=demo.levers,
                cpv_codes=CpvCode.objects.filter(code8__in=demo.cpv),
                related_tenders=tenders[index % 3 : index % 3 + 1] if tenders and index % 4 == 0 else None,
                note="Første udgave",
            )  # fmt: skip
            for body, note in demo.revisions:
                article_update(article=article, user=staff, body=body, note=note)
        published = demo.status in (Status.PUBLISHED, Status.ARCHIVED)
        # Spread publication over the past year, so "recent" has an order.
        Article.objects.filter(pk=article.pk).update(
            status=demo.status,
            review_date=today + timedelta(days=demo.review_in_days),
            published_at=(timezone.now() - timedelta(days=7 * index + 1)) if published else None,
            view_count=demo.views,
            stale_flagged_at=None,
        )
        articles.append(article)
    return articles
