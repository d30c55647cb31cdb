"""Content of the Heilbronn demo process, loaded by ``manage.py load_demo``.

Plain data only: the loader lives in ``management/commands/load_demo.py``. Keys
are the model field names; ``slug`` is the natural key, ``field`` names a field
of action by slug and ``projects`` names inventory projects by slug.

Everything here is invented for the demonstration: measures, projects,
companies, costs and contacts are not plans of the city of Heilbronn.
Long texts are written hard-wrapped; ``_paragraphs`` joins the lines of each
paragraph so the stored text has one paragraph per blank-line-separated block.
"""

import re
from datetime import date
from decimal import Decimal


def _paragraphs(text):
    blocks = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks)


# Development only: the README cites these. The loader sets these passwords on every run.
DEMO_ACCOUNTS = {
    "facilitator": {
        "username": "moderation",
        "password": "heilbronn-demo-2026",
        "email": "moderation@example.org",
        "first_name": "Demo",
        "last_name": "Moderation",
    },
    "citizen": {
        "username": "buergerin",
        "password": "buergerin-demo-2026",
        "email": "buergerin@example.org",
        "first_name": "Demo",
        "last_name": "Bürgerin",
    },
}

PROCESS = {
    "slug": "gesamtkonzept-digitalisierung",
    "title": "Gesamtkonzept Digitalisierung",
    "title_en": "Comprehensive Digitalization Strategy",
    "summary": _paragraphs("""
        Wie soll Heilbronn die Digitalisierung für seine Bürgerinnen und Bürger, die Verwaltung und die
        Wirtschaft gestalten? Das Gesamtkonzept bündelt Handlungsfelder, einen Katalog von Smart-City-Maßnahmen,
        eine Bestandsaufnahme laufender Projekte und zwei Reallabore – und lädt Sie ein, mitzureden.
    """),
    "summary_en": _paragraphs("""
        How should Heilbronn shape digitalization for its residents, its administration and its economy? The
        strategy brings together fields of action, a catalog of Smart City measures, an inventory of ongoing
        projects and two living labs – and invites you to have your say.
    """),
    "description": _paragraphs("""
        Heilbronn verändert sich. Mit dem Bildungscampus, der Experimenta und dem neuen Stadtquartier
        Neckarbogen ist die Stadt in den vergangenen Jahren zu einem Ort des Lernens und Ausprobierens geworden.
        Gleichzeitig erwarten Bürgerinnen und Bürger zu Recht, dass sie Anträge online stellen, Bus und
        Stadtbahn in Echtzeit verfolgen und sich jederzeit über Vorhaben der Stadt informieren können.
        Unternehmen brauchen schnelle Netze und digitale Ansprechpartner. Viele Ämter, Versorger und Betriebe
        arbeiten bereits an digitalen Projekten – bisher aber oft nebeneinander.

        Das Gesamtkonzept Digitalisierung führt diese Aktivitäten zusammen und gibt eine gemeinsame Richtung
        vor. Es beschreibt acht Handlungsfelder von der Mobilität bis zur Stadtgesellschaft, sammelt konkrete
        Smart-City-Maßnahmen in einem Katalog und macht in einer Bestandserhebung sichtbar, was in der
        Verwaltung und in ausgewählten Unternehmen schon läuft. In zwei Reallaboren werden neue Lösungen unter
        realen Bedingungen erprobt, bevor sie in der ganzen Stadt eingesetzt werden.

        So funktioniert die Beteiligung: Auf dieser Plattform können Sie sich über alle Handlungsfelder,
        Maßnahmen, Projekte und Reallabore informieren. Wer ein Konto anlegt und die E-Mail-Adresse bestätigt,
        kann zu jeder Maßnahme, jedem Projekt und jedem Reallabor eine Rückmeldung geben: Was fehlt? Was ist
        Ihnen besonders wichtig? Wo sehen Sie Risiken? Die Moderation liest alle Beiträge, achtet auf einen
        respektvollen Umgang und fasst die Ergebnisse regelmäßig zusammen.

        Parallel dazu beraten Fachleute aus Verwaltung, Wissenschaft, Wirtschaft und Zivilgesellschaft in
        Expertenworkshops über die Maßnahmen. Vorschläge aus den Workshops und aus der Bürgerschaft werden in den
        Maßnahmenkatalog aufgenommen und als solche gekennzeichnet. Am Ende steht eine Online-Abstimmung, in der
        Sie die Maßnahmen gewichten können. Die Ergebnisse – getrennt nach Bürgerschaft und Fachleuten – werden
        veröffentlicht und dem Gemeinderat als Grundlage für seinen Beschluss vorgelegt.

        Zeitplan: Informationsphase und Online-Rückmeldungen von März bis Juni 2026. Expertenworkshops zu den
        Handlungsfeldern von Mai bis September 2026. Überarbeitung des Maßnahmenkatalogs und Online-Abstimmung
        von Oktober bis Dezember 2026. Auswertung und Veröffentlichung der Ergebnisse von Januar bis März 2027.
        Beratung und Beschluss im Gemeinderat bis Ende Juni 2027.

        Hinweis: Dies ist ein Demonstrationsdatensatz der Beteiligungsplattform. Maßnahmen, Projekte,
        Unternehmen, Kosten und Kontaktadressen sind frei erfunden und geben keine Planungen der Stadt Heilbronn
        wieder.
    """),
    "description_en": _paragraphs("""
        Heilbronn is changing. With the Bildungscampus, the Experimenta science center and the new Neckarbogen
        district, the city has in recent years become a place for learning and trying things out. At the same
        time, residents rightly expect to submit applications online, follow buses and light rail in real time
        and find out about the city's plans whenever they like. Businesses need fast networks and digital points
        of contact. Many departments, utilities and companies are already working on digital projects – so far,
        however, often side by side rather than together.

        The Comprehensive Digitalization Strategy brings these activities together and sets a common direction.
        It describes eight fields of action, from mobility to urban society, collects concrete Smart City
        measures in a catalog and uses an inventory to show what is already under way in the administration
        and in selected companies. In two living labs, new solutions are tested under real conditions before
        they are rolled out across the city.

        How participation works: on this platform you can find information on all fields of action, measures,
        projects and living labs. Anyone who creates an account and confirms their email address can give
        feedback on every measure, project and living lab: What is missing? What matters most to you? Where do
        you see risks? The facilitation team reads every contribution, makes sure the discussion stays
        respectful and summarizes the results regularly.

        At the same time, experts from the administration, academia, business and civil society discuss the
        measures in expert workshops. Proposals from the workshops and from residents are added to the catalog
        of measures and marked as such. The process ends with an online vote in which you can weight the
        measures. The results – shown separately for residents and experts – are published and presented to the
        city council as the basis for its decision.

        Timeline: information phase and online feedback from March to June 2026. Expert workshops on the fields
        of action from May to September 2026. Revision of the catalog of measures and online vote from October
        to December 2026. Evaluation and publication of the results from January to March 2027. Debate and
        decision in the city council by the end of June 2027.

        Please note: this is a demonstration data set of the participation platform. Measures, projects,
        companies, costs and contact addresses are invented and do not represent plans of the city of Heilbronn.
    """),
    "starts_on": date(2026, 3, 2),
    "ends_on": date(2027, 6, 30),
    "published": True,
}

FIELDS = [
    {
        "slug": "mobilitaet",
        "position": 1,
        "title": "Mobilität",
        "title_en": "Mobility",
        "summary": (
            "Verkehr flüssiger, sicherer und klimafreundlicher machen – mit Echtzeitdaten, vernetzten Angeboten "
            "und einer klugen Steuerung."
        ),
        "summary_en": (
            "Making traffic smoother, safer and more climate-friendly – with real-time data, connected services "
            "and smart traffic control."
        ),
        "description": _paragraphs("""
            Heilbronn ist Oberzentrum der Region Heilbronn-Franken: Täglich pendeln zehntausende Menschen in die
            Stadt, dazu kommen Lieferverkehr und Besucherinnen und Besucher der Innenstadt. Staus auf den
            Hauptachsen, die Suche nach einem Parkplatz und Lücken zwischen Bus, Stadtbahn und Rad belasten
            Menschen und Klima.

            Das Handlungsfeld bündelt Maßnahmen, die den Verkehr mit digitalen Mitteln besser lenken und den
            Umstieg auf Bus, Bahn, Rad und Fuß erleichtern: von adaptiven Ampeln über Echtzeitinformationen bis
            zu einer gemeinsamen App für alle Mobilitätsangebote.
        """),
        "description_en": _paragraphs("""
            Heilbronn is the regional center of Heilbronn-Franconia: every day tens of thousands of people commute
            into the city, on top of delivery traffic and visitors to the city center. Congestion on the main
            roads, the search for a parking space and gaps between bus, light rail and cycling are a burden on
            people and the climate.

            This field of action brings together measures that use digital tools to manage traffic better and
            make it easier to switch to bus, rail, bike and walking: from adaptive traffic lights and real-time
            information to a single app for all mobility services.
        """),
    },
    {
        "slug": "verwaltung",
        "position": 2,
        "title": "Verwaltung und E-Government",
        "title_en": "Administration and e-government",
        "summary": (
            "Behördengänge online erledigen, Anliegen nachverfolgen, Daten offen teilen – eine Verwaltung, die "
            "rund um die Uhr erreichbar ist."
        ),
        "summary_en": (
            "Dealing with the authorities online, tracking requests, sharing data openly – an administration that "
            "can be reached around the clock."
        ),
        "description": _paragraphs("""
            Viele Anliegen – vom Umzug über den Bewohnerparkausweis bis zur Gewerbeanmeldung – erfordern heute
            noch einen Termin im Bürgeramt. Intern arbeiten die Ämter vielfach mit Papierakten und Insellösungen,
            die nicht miteinander sprechen.

            Ziel ist eine Verwaltung, die ihre Leistungen durchgängig digital anbietet, intern ohne Medienbrüche
            arbeitet und ihre Daten als offene Daten bereitstellt. Der persönliche Kontakt bleibt für alle
            erhalten, die ihn brauchen oder wünschen.
        """),
        "description_en": _paragraphs("""
            Many everyday matters – from moving house to a residents' parking permit or registering a business –
            still require an appointment at the citizens' office. Internally, departments often work with paper
            files and isolated systems that do not talk to each other.

            The aim is an administration that offers its services digitally from start to finish, works without
            media breaks internally and publishes its data as open data. Personal contact remains available to
            everyone who needs or prefers it.
        """),
    },
    {
        "slug": "bildung",
        "position": 3,
        "title": "Bildung",
        "title_en": "Education",
        "summary": (
            "Schulen, Bibliotheken und Weiterbildung fit machen für das Lernen mit digitalen Medien – für alle "
            "Generationen."
        ),
        "summary_en": (
            "Preparing schools, libraries and adult education for learning with digital media – for all generations."
        ),
        "description": _paragraphs("""
            Mit dem Bildungscampus und der Experimenta hat Heilbronn einen starken Bildungsstandort. Damit alle
            davon profitieren, brauchen Schulen verlässliche Technik, Lehrkräfte Unterstützung und Menschen jeden
            Alters Angebote, um digitale Werkzeuge sicher und selbstbestimmt zu nutzen.

            Das Handlungsfeld umfasst die Ausstattung und den Betrieb der Schul-IT, Lernorte außerhalb der Schule
            und Programme zur Medienkompetenz, etwa für ältere Menschen.
        """),
        "description_en": _paragraphs("""
            With the Bildungscampus and the Experimenta, Heilbronn is a strong place for education. For everyone
            to benefit, schools need reliable technology, teachers need support, and people of all ages need
            opportunities to use digital tools safely and with confidence.

            This field of action covers equipping and running school IT, places of learning outside school and
            programs for digital literacy, for example for older people.
        """),
    },
    {
        "slug": "energie-umwelt",
        "position": 4,
        "title": "Energie und Umwelt",
        "title_en": "Energy and environment",
        "summary": (
            "Energie sparen, Klimadaten erfassen und die Stadt auf Hitze und Starkregen vorbereiten – mit Sensoren "
            "und intelligenter Steuerung."
        ),
        "summary_en": (
            "Saving energy, collecting climate data and preparing the city for heat and heavy rain – with sensors "
            "and smart control."
        ),
        "description": _paragraphs("""
            Gebäude, Straßenbeleuchtung und Verkehr verursachen einen großen Teil des Energieverbrauchs einer
            Stadt. Wer weiß, wo und wann Energie verbraucht wird, kann gezielt sparen. Zugleich werden
            Hitzesommer und Starkregen häufiger – auch im Neckartal.

            Die Maßnahmen in diesem Handlungsfeld setzen auf Messdaten und vernetzte Steuerung:
            Energiemonitoring in städtischen Gebäuden, ein Messnetz für Luftqualität und Stadtklima, eine
            bedarfsgerechte Beleuchtung und Frühwarnsysteme.
        """),
        "description_en": _paragraphs("""
            Buildings, street lighting and traffic account for a large share of a city's energy use. Knowing
            where and when energy is used makes targeted savings possible. At the same time, hot summers and
            heavy rain are becoming more frequent – in the Neckar valley, too.

            The measures in this field of action rely on measurement data and connected control: energy
            monitoring in municipal buildings, a monitoring network for air quality and urban climate,
            demand-driven lighting and early warning systems.
        """),
    },
    {
        "slug": "wirtschaft-arbeit",
        "position": 5,
        "title": "Wirtschaft und Arbeit",
        "title_en": "Economy and work",
        "summary": (
            "Handel, Handwerk und Mittelstand beim digitalen Wandel unterstützen und gute Arbeit in der Region halten."
        ),
        "summary_en": (
            "Supporting retail, crafts and medium-sized businesses in the digital transition and keeping good "
            "jobs in the region."
        ),
        "description": _paragraphs("""
            Die Region Heilbronn-Franken ist von starken Familienunternehmen, Handwerk und Handel geprägt. Große
            Unternehmen treiben die Digitalisierung oft selbst voran; kleine Betriebe und der Einzelhandel in der
            Innenstadt brauchen dagegen häufig Beratung, Vernetzung und einfache Werkzeuge.

            Das Handlungsfeld sammelt Maßnahmen, mit denen die Stadt als Partnerin auftritt: Anlaufstellen,
            Plattformen für den lokalen Handel und Kooperationen mit den Hochschulen am Bildungscampus.
        """),
        "description_en": _paragraphs("""
            The Heilbronn-Franconia region is shaped by strong family businesses, crafts and retail. Large
            companies often drive digitalization themselves; small firms and downtown stores, on the other
            hand, frequently need advice, networks and simple tools.

            This field of action collects measures in which the city acts as a partner: help desks, platforms
            for local retail and cooperation with the universities at the Bildungscampus.
        """),
    },
    {
        "slug": "gesundheit-pflege",
        "position": 6,
        "title": "Gesundheit und Pflege",
        "title_en": "Health and care",
        "summary": (
            "Digitale Angebote, die Pflegebedürftigen, Angehörigen und Pflegekräften den Alltag erleichtern und "
            "die Versorgung im Quartier stärken."
        ),
        "summary_en": (
            "Digital services that make everyday life easier for people in need of care, their families and "
            "caregivers, and that strengthen care in the neighborhood."
        ),
        "description": _paragraphs("""
            Die Bevölkerung wird älter, Pflegekräfte und Hausarztpraxen sind knapp. Digitale Werkzeuge ersetzen
            keine Zuwendung, können aber Wege sparen, Informationen schneller verfügbar machen und Angehörige
            entlasten.

            Im Mittelpunkt stehen leicht verständliche Angebote: freie Pflegeplätze auf einen Blick,
            telemedizinische Sprechstunden in den Stadtteilen und eine bessere Vernetzung der Praxen.
        """),
        "description_en": _paragraphs("""
            The population is aging, and caregivers and doctors' offices are in short supply. Digital tools do not
            replace human care, but they can save journeys, make information available faster and relieve
            families.

            The focus is on services that are easy to understand: available care places at a glance, telemedicine
            consultations in the neighborhoods and better connections between medical practices.
        """),
    },
    {
        "slug": "digitale-infrastruktur",
        "position": 7,
        "title": "Digitale Infrastruktur",
        "title_en": "Digital infrastructure",
        "summary": (
            "Glasfaser, öffentliches WLAN, ein Funknetz für Sensoren und eine Datenplattform – das Fundament "
            "aller anderen Handlungsfelder."
        ),
        "summary_en": (
            "Fibre, public Wi-Fi, a radio network for sensors and a data platform – the foundation of all other "
            "fields of action."
        ),
        "description": _paragraphs("""
            Ohne schnelle und verlässliche Netze funktioniert keine digitale Anwendung. Haushalte, Schulen und
            Gewerbegebiete brauchen Glasfaseranschlüsse, öffentliche Plätze ein freies WLAN und Sensoren ein
            energiesparendes Funknetz.

            Darüber hinaus braucht die Stadt eine urbane Datenplattform, auf der Daten aus Verkehr, Umwelt und
            Energie sicher zusammenlaufen, nach klaren Regeln ausgewertet und – wo möglich – als offene Daten
            veröffentlicht werden.
        """),
        "description_en": _paragraphs("""
            No digital service works without fast and reliable networks. Households, schools and business parks
            need fibre connections, public spaces need free Wi-Fi and sensors need an energy-saving radio
            network.

            Beyond that, the city needs an urban data platform where data on traffic, environment and energy come
            together securely, are analyzed according to clear rules and – wherever possible – are published as
            open data.
        """),
    },
    {
        "slug": "kultur-stadtgesellschaft",
        "position": 8,
        "title": "Kultur und Stadtgesellschaft",
        "title_en": "Culture and urban society",
        "summary": (
            "Stadtgeschichte erlebbar machen, Ehrenamt vernetzen und dafür sorgen, dass niemand digital abgehängt wird."
        ),
        "summary_en": (
            "Bringing the city's history to life, connecting volunteers and making sure that nobody is left "
            "behind digitally."
        ),
        "description": _paragraphs("""
            Digitalisierung ist mehr als Technik: Sie verändert, wie Menschen sich informieren, engagieren und
            begegnen. Heilbronn lebt von Vereinen, Initiativen und einer aktiven Nachbarschaft.

            Dieses Handlungsfeld nimmt Vorschläge auf, die das Zusammenleben stärken – von digitalen Zugängen zur
            Stadtgeschichte bis zu einer Plattform, auf der Ehrenamtliche und Hilfesuchende zueinanderfinden.
            Viele dieser Ideen stammen direkt aus der Bürgerschaft.
        """),
        "description_en": _paragraphs("""
            Digitalization is more than technology: it changes how people find information, get involved and meet
            each other. Heilbronn thrives on its clubs, initiatives and active neighborhoods.

            This field of action takes up proposals that strengthen community life – from digital access to the
            city's history to a platform where volunteers and people looking for help can find each other. Many
            of these ideas come directly from residents.
        """),
    },
]

MEASURES = [
    # --- Mobilität ---
    {
        "slug": "intelligentes-verkehrsmanagement",
        "field": "mobilitaet",
        "status": "planned",
        "origin": "catalogue",
        "estimated_cost": Decimal("4800000"),
        "title": "Intelligentes, digitales Verkehrsmanagement",
        "title_en": "Intelligent digital traffic management",
        "summary": (
            "Adaptive Ampeln, Verkehrsdaten in Echtzeit und ein dynamisches Parkleitsystem sollen Staus "
            "verringern und Bussen und Radverkehr Vorrang geben."
        ),
        "summary_en": (
            "Adaptive traffic lights, real-time traffic data and a dynamic parking guidance system are to reduce "
            "congestion and give priority to buses and cyclists."
        ),
        "description": _paragraphs("""
            Auf den Hauptachsen rund um die Innenstadt staut sich der Verkehr in den Spitzenstunden regelmäßig.
            Die meisten Ampeln laufen heute mit festen Zeitplänen, die nicht auf das tatsächliche
            Verkehrsaufkommen reagieren. Wer einen Parkplatz sucht, kreist zusätzlich durch die Straßen und
            verursacht Lärm und Abgase.

            Das intelligente Verkehrsmanagement verbindet die Lichtsignalanlagen mit einem zentralen
            Verkehrsrechner. Detektoren erfassen ohne Personenbezug, wie viele Fahrzeuge, Räder und Fußgänger
            unterwegs sind; die Ampelschaltungen passen sich laufend an. Busse melden sich an der Kreuzung an
            und erhalten Vorrang. Die Belegung der Parkhäuser wird in Echtzeit auf Anzeigetafeln, in Apps und als
            offene Daten ausgegeben.

            Profitieren sollen alle Verkehrsteilnehmenden: weniger Wartezeit, pünktlichere Busse und weniger
            Suchverkehr. Als erster Schritt werden der Verkehrsrechner erneuert und 40 Kreuzungen angebunden;
            anschließend folgt das Parkleitsystem. Die Wirkung wird im Reallabor Innenstadt gemessen, bevor
            weitere Kreuzungen folgen.
        """),
        "description_en": _paragraphs("""
            Traffic regularly backs up on the main roads around the city center at peak times. Most traffic
            lights still run on fixed schedules that do not respond to actual traffic volumes. Drivers looking
            for a parking space add to the traffic by circling the streets, causing noise and exhaust fumes.

            Intelligent traffic management connects the traffic lights to a central traffic control computer.
            Detectors count vehicles, bikes and pedestrians without recording any personal data, and the signal
            timings adapt continuously. Buses announce themselves at junctions and are given priority. The
            occupancy of parking garages is published in real time on display boards, in apps and as open
            data.

            All road users are meant to benefit: shorter waiting times, more punctual buses and less traffic
            searching for parking. As a first step, the traffic control computer will be replaced and 40
            junctions connected; the parking guidance system follows. The effect will be measured in the city
            center living lab before further junctions are added.
        """),
    },
    {
        "slug": "mobilitaets-app",
        "field": "mobilitaet",
        "status": "proposed",
        "origin": "catalogue",
        "estimated_cost": Decimal("650000"),
        "title": "Eine App für Bus, Stadtbahn, Leihrad und Carsharing",
        "title_en": "One app for bus, light rail, bike hire and car sharing",
        "summary": (
            "Verbindungen planen, Tickets kaufen und Leihräder oder Carsharing buchen – in einer gemeinsamen App "
            "statt in fünf verschiedenen."
        ),
        "summary_en": (
            "Plan journeys, buy tickets and book rental bikes or car sharing – in one shared app instead of five "
            "different ones."
        ),
        "description": _paragraphs("""
            Wer in Heilbronn ohne eigenes Auto unterwegs ist, braucht für Fahrplan, Ticketkauf, Leihrad und
            Carsharing oft mehrere Apps und Kundenkonten. Das ist umständlich und hält viele davon ab,
            verschiedene Verkehrsmittel zu kombinieren.

            Vorgeschlagen wird eine Mobilitätsplattform („Mobility as a Service“), die die Angebote von
            Verkehrsunternehmen, Verkehrsverbund, Leihrad- und Carsharing-Anbietern bündelt. Nutzerinnen und
            Nutzer sehen auf einen Blick, wie sie am besten ans Ziel kommen, und bezahlen über ein einziges
            Konto. Die App soll barrierearm gestaltet sein und Verspätungen in Echtzeit anzeigen.

            Zuerst soll geprüft werden, ob eine bestehende regionale Lösung erweitert werden kann, statt eine
            eigene App zu entwickeln. Anforderungen werden in Fokusgruppen mit Pendelnden, Studierenden und
            älteren Menschen gesammelt.
        """),
        "description_en": _paragraphs("""
            Getting around Heilbronn without a car often means several apps and customer accounts for schedules,
            tickets, rental bikes and car sharing. This is cumbersome and puts many people off combining different
            modes of transport.

            The proposal is a mobility platform ("mobility as a service") that brings together the services of
            transport operators, the regional transport association and bike hire and car sharing providers.
            Users see at a glance how best to reach their destination and pay through a single account. The app
            is to be designed for accessibility and to show delays in real time.

            The first step is to check whether an existing regional solution can be extended instead of
            developing a separate app. Requirements will be gathered in focus groups with commuters, students and
            older people.
        """),
    },
    {
        "slug": "digitale-lieferzonen",
        "field": "mobilitaet",
        "status": "proposed",
        "origin": "workshop",
        "estimated_cost": Decimal("380000"),
        "title": "Digital buchbare Lieferzonen in der Innenstadt",
        "title_en": "Digitally bookable loading zones in the city center",
        "summary": (
            "Lieferfahrzeuge reservieren Ladezonen per App, Sensoren zeigen freie Flächen an. So sollen das Halten "
            "in zweiter Reihe und blockierte Radwege abnehmen."
        ),
        "summary_en": (
            "Delivery vehicles reserve loading zones via an app and sensors show which ones are free. The aim is "
            "less double parking and fewer blocked bike lanes."
        ),
        "description": _paragraphs("""
            In der Fußgängerzone und den angrenzenden Straßen konkurrieren Paketdienste, Handwerksbetriebe und
            Lieferanten des Einzelhandels um wenige Ladeflächen. Die Folge sind Fahrzeuge in zweiter Reihe,
            blockierte Radwege und gefährliche Situationen für Fußgängerinnen und Fußgänger.

            Die Idee stammt aus dem Expertenworkshop Mobilität: Ladezonen werden mit Sensoren ausgestattet und
            können für kurze Zeitfenster digital reserviert werden. Die Belegung ist über eine offene
            Schnittstelle abrufbar, sodass Logistikunternehmen ihre Touren planen können. Außerhalb der
            Lieferzeiten stehen die Flächen für Fahrräder oder Außengastronomie zur Verfügung.

            Erprobt werden soll das Konzept zunächst mit zehn Ladezonen im Reallabor Innenstadt. Gemeinsam mit
            Handel und Lieferdiensten wird ausgewertet, ob Falschparken und Suchverkehr messbar zurückgehen.
        """),
        "description_en": _paragraphs("""
            In the pedestrian zone and the surrounding streets, parcel services, tradespeople and suppliers to
            stores compete for a small number of loading zones. The result is double parking, blocked bike lanes
            and dangerous situations for pedestrians.

            The idea comes from the expert workshop on mobility: loading zones are fitted with sensors and can be
            reserved digitally for short time slots. Their occupancy is available through an open interface so
            that logistics companies can plan their rounds. Outside delivery hours the space is available for
            bicycles or outdoor seating.

            The concept is first to be tested with ten loading zones in the city center living lab. Together with
            retailers and delivery services, the city will evaluate whether illegal parking and circling traffic
            decrease measurably.
        """),
    },
    {
        "slug": "schulwegradar",
        "field": "mobilitaet",
        "status": "proposed",
        "origin": "citizen",
        "estimated_cost": Decimal("45000"),
        "title": "Schulwegradar: Gefahrenstellen gemeinsam melden",
        "title_en": "School route radar: reporting dangerous spots together",
        "summary": (
            "Eltern und Kinder markieren gefährliche Stellen auf dem Schulweg in einer Online-Karte; die Stadt "
            "prüft jede Meldung und berichtet, was sich ändert."
        ),
        "summary_en": (
            "Parents and children mark dangerous spots on the way to school on an online map; the city checks "
            "every report and explains what will change."
        ),
        "description": _paragraphs("""
            Dieser Vorschlag kam von einer Elterninitiative: Viele Eltern kennen unübersichtliche Kreuzungen,
            zugeparkte Gehwege oder fehlende Querungshilfen auf dem Schulweg ihrer Kinder, wissen aber nicht, wem
            sie das melden sollen.

            Auf einer einfachen Online-Karte können Eltern, Schülerinnen und Schüler sowie Lehrkräfte
            Gefahrenstellen eintragen und beschreiben. Die Straßenverkehrsbehörde prüft die Meldungen gemeinsam
            mit Polizei und Schulen, gibt eine Rückmeldung und dokumentiert öffentlich, was unternommen wurde –
            etwa neue Markierungen, Tempo 30 oder ein Schülerlotsendienst.

            Die Karte könnte auf bestehender Open-Source-Software aufbauen und wäre daher günstig umzusetzen. Die
            Ergebnisse fließen in die Schulwegpläne ein, die jede Grundschule an die neuen Erstklässlerinnen und
            Erstklässler ausgibt.
        """),
        "description_en": _paragraphs("""
            This proposal came from a parents' initiative: many parents know of confusing junctions, sidewalks
            blocked by parked cars or missing crossings on their children's way to school, but do not know whom
            to tell.

            On a simple online map, parents, students and teachers can mark and describe dangerous spots. The road
            traffic authority reviews the reports together with the police and the schools, replies to each one
            and documents publicly what has been done – for example new road markings, a 30 km/h limit or a
            school crossing patrol.

            The map could be built on existing open-source software and would therefore be inexpensive. The
            results feed into the safe-route-to-school maps that every primary school hands out to new
            first-graders.
        """),
    },
    # --- Verwaltung und E-Government ---
    {
        "slug": "buergerbuero-online",
        "field": "verwaltung",
        "status": "in_progress",
        "origin": "catalogue",
        "estimated_cost": Decimal("2100000"),
        "title": "Bürgerbüro online: die 30 häufigsten Anliegen digital",
        "title_en": "Citizens' office online: the 30 most frequent services in digital form",
        "summary": (
            "Von der Meldebescheinigung bis zum Bewohnerparkausweis: Die am häufigsten nachgefragten Leistungen "
            "sollen vollständig online beantragt und bezahlt werden können."
        ),
        "summary_en": (
            "From a certificate of registration to a residents' parking permit: the most requested services are "
            "to be applied for and paid for entirely online."
        ),
        "description": _paragraphs("""
            Ein Großteil der Termine im Bürgeramt entfällt auf eine überschaubare Zahl von Leistungen:
            Wohnsitzanmeldung, Meldebescheinigungen, Führungszeugnisse, Bewohnerparkausweise, die Anmeldung eines
            Hundes oder eines Gewerbes. Viele davon ließen sich digital erledigen, scheitern heute aber an
            Medienbrüchen – etwa weil ein Formular zwar online ausgefüllt, dann aber ausgedruckt und
            unterschrieben werden muss.

            Die Maßnahme digitalisiert diese 30 Leistungen von Anfang bis Ende: Antrag, Identifizierung mit der
            Online-Ausweisfunktion, Bezahlung und Bescheid im digitalen Postfach. Intern landen die Anträge direkt
            im Fachverfahren, ohne abgetippt zu werden. Wer lieber persönlich vorbeikommt, kann das weiterhin
            tun; die Mitarbeitenden gewinnen Zeit für schwierige Fälle und Beratung.

            Die ersten acht Leistungen sind bereits online, darunter der Bewohnerparkausweis und die
            Meldebescheinigung. Bis Ende 2027 sollen die übrigen folgen. Vor jedem Start testen Bürgerinnen und
            Bürger die Formulare, damit sie verständlich sind.
        """),
        "description_en": _paragraphs("""
            A large share of appointments at the citizens' office concerns a manageable number of services:
            registering an address, certificates of registration, certificates of good conduct, residents'
            parking permits, registering a dog or a business. Many of these could be handled digitally but today
            fail because of media breaks – for example, a form can be filled in online but then has to be printed
            and signed.

            This measure digitizes these 30 services from start to finish: application, identification with the
            online function of the ID card, payment and decision in a digital mailbox. Internally, applications
            go straight into the specialist system without being retyped. Anyone who prefers to come in person
            can still do so; staff gain time for difficult cases and advice.

            The first eight services are already online, including the residents' parking permit and the
            certificate of registration. The rest are to follow by the end of 2027. Before each launch,
            residents test the forms to make sure they are easy to understand.
        """),
    },
    {
        "slug": "online-terminvergabe",
        "field": "verwaltung",
        "status": "done",
        "origin": "catalogue",
        "estimated_cost": Decimal("120000"),
        "title": "Online-Terminvergabe mit Wartezeitanzeige",
        "title_en": "Online appointment booking with waiting-time display",
        "summary": (
            "Termine im Bürgeramt und bei der Kfz-Zulassung werden online gebucht; eine Anzeige nennt die "
            "aktuelle Wartezeit für spontane Besuche."
        ),
        "summary_en": (
            "Appointments at the citizens' office and vehicle registration are booked online; a display shows "
            "the current waiting time for walk-in visits."
        ),
        "description": _paragraphs("""
            Lange Schlangen vor dem Bürgeramt gehörten früher zum Alltag. Mit der Online-Terminvergabe können
            Bürgerinnen und Bürger einen festen Termin buchen, erhalten eine Erinnerung per E-Mail und können den
            Termin selbst verschieben oder absagen.

            Für spontane Besuche zeigt die Website die aktuelle Wartezeit und die Zahl der Wartenden an. Die
            Buchung ist barrierefrei und auch telefonisch möglich. Nicht wahrgenommene Termine werden automatisch
            wieder freigegeben.

            Die Maßnahme ist umgesetzt. Nach dem ersten Jahr zeigte eine Auswertung deutlich kürzere
            Wartezeiten. Als Nächstes sollen weitere Dienststellen, etwa die Ausländerbehörde, an das System
            angeschlossen werden.
        """),
        "description_en": _paragraphs("""
            Long lines outside the citizens' office used to be part of everyday life. With online appointment
            booking, residents can reserve a fixed slot, receive an email reminder and move or cancel the
            appointment themselves.

            For walk-in visits, the website shows the current waiting time and the number of people waiting.
            Booking is accessible and also possible by phone. Appointments that are not kept are released again
            automatically.

            This measure has been implemented. After the first year, an evaluation showed much shorter waiting
            times. Next, further offices, such as the immigration office, are to be connected to the system.
        """),
    },
    {
        "slug": "e-akte",
        "field": "verwaltung",
        "status": "planned",
        "origin": "catalogue",
        "estimated_cost": Decimal("3500000"),
        "title": "Elektronische Akte in allen Ämtern",
        "title_en": "Electronic files in all departments",
        "summary": (
            "Schluss mit Papierakten und Umlaufmappen: Vorgänge werden digital bearbeitet, rechtssicher abgelegt "
            "und sind für Berechtigte jederzeit auffindbar."
        ),
        "summary_en": (
            "An end to paper files and circulation folders: cases are processed digitally, archived in a legally "
            "compliant way and can be found at any time by authorized staff."
        ),
        "description": _paragraphs("""
            In vielen Ämtern werden Vorgänge noch auf Papier geführt: Akten werden kopiert, per Hauspost
            verschickt und im Keller archiviert. Das kostet Zeit, erschwert mobiles Arbeiten und macht es schwer,
            Bürgerinnen und Bürgern rasch Auskunft über den Stand ihres Anliegens zu geben.

            Die elektronische Akte ersetzt die Papierakte schrittweise in allen Ämtern. Eingehende Post wird
            zentral digitalisiert, Vorgänge werden in einem Dokumentenmanagementsystem bearbeitet und nach den
            gesetzlichen Fristen revisionssicher archiviert. Zugriffsrechte regeln, wer welche Akte sehen darf;
            jeder Zugriff wird protokolliert.

            Aufbauend auf einem abgeschlossenen Pilotprojekt im Personalbereich werden zunächst fünf weitere
            Ämter umgestellt. Schulungen und feste Ansprechpersonen in jedem Amt begleiten die Einführung.
        """),
        "description_en": _paragraphs("""
            Many departments still keep their cases on paper: files are copied, sent by internal mail and
            archived in the basement. This costs time, makes mobile working difficult and makes it hard to tell
            residents quickly how their request is progressing.

            The electronic file gradually replaces paper files in all departments. Incoming mail is digitized
            centrally, cases are handled in a document management system and archived in an audit-proof way for
            the periods required by law. Access rights govern who may see which file, and every access is logged.

            Building on a completed pilot project in human resources, five further departments will switch over
            first. Training and a named contact person in each department support the introduction.
        """),
    },
    {
        "slug": "open-data-portal",
        "field": "verwaltung",
        "status": "proposed",
        "origin": "catalogue",
        "estimated_cost": Decimal("280000"),
        "title": "Open-Data-Portal der Stadt",
        "title_en": "City open data portal",
        "summary": (
            "Haushaltsdaten, Verkehrszählungen, Umweltmesswerte und Geodaten werden maschinenlesbar und unter "
            "einer offenen Lizenz veröffentlicht."
        ),
        "summary_en": (
            "Budget data, traffic counts, environmental readings and geodata are published in machine-readable "
            "form under an open license."
        ),
        "description": _paragraphs("""
            Die Stadtverwaltung verfügt über viele Daten, die für Bürgerschaft, Wissenschaft, Medien und
            Unternehmen wertvoll sind: Haushaltspläne, Bevölkerungsstatistik, Standorte von Kitas und Ladesäulen,
            Verkehrszählungen oder Messwerte zur Luftqualität. Bisher sind sie oft nur als PDF oder auf Anfrage
            erhältlich.

            Ein Open-Data-Portal stellt diese Daten maschinenlesbar, regelmäßig aktualisiert und unter einer
            offenen Lizenz bereit. Personenbezogene Daten sind ausgeschlossen. So können etwa Studierende am
            Bildungscampus, Initiativen und Start-ups eigene Anwendungen entwickeln, und die Arbeit der
            Verwaltung wird nachvollziehbarer.

            Begonnen wird mit 30 Datensätzen, die ohnehin regelmäßig erhoben werden. Jedes Amt benennt eine
            verantwortliche Person für seine Daten. Einmal im Jahr lädt die Stadt zu einem offenen Hackathon ein.
        """),
        "description_en": _paragraphs("""
            The city administration holds a great deal of data that is valuable to residents, researchers, the
            media and businesses: budgets, population statistics, locations of day-care centers and charging
            points, traffic counts or air quality readings. So far, much of it is only available as PDF or on
            request.

            An open data portal provides this data in machine-readable form, regularly updated and under an open
            license. Personal data is excluded. Students at the Bildungscampus, initiatives and start-ups can
            build their own applications, and the work of the administration becomes easier to follow.

            The portal starts with 30 data sets that are collected regularly anyway. Each department names a
            person responsible for its data. Once a year, the city invites everyone to an open hackathon.
        """),
    },
    {
        "slug": "maengelmelder",
        "field": "verwaltung",
        "status": "proposed",
        "origin": "catalogue",
        "estimated_cost": Decimal("90000"),
        "title": "Mängelmelder für Schlaglöcher, Müll und defekte Laternen",
        "title_en": "Issue reporter for potholes, litter and broken street lights",
        "summary": (
            "Per App oder Website melden Bürgerinnen und Bürger Schäden im Stadtbild mit Foto und Standort – und "
            "verfolgen, wann sie behoben werden."
        ),
        "summary_en": (
            "Using an app or the website, residents report damage in public spaces with a photo and location – "
            "and can follow when it is repaired."
        ),
        "description": _paragraphs("""
            Ein Schlagloch auf dem Radweg, eine wilde Müllablagerung am Neckarufer oder eine defekte
            Straßenlaterne: Solche Schäden müssen bisher telefonisch oder per E-Mail gemeldet werden, und oft ist
            unklar, welches Amt zuständig ist.

            Mit einem Mängelmelder lassen sich Schäden mit Foto und Standort in wenigen Schritten melden. Die
            Meldung geht automatisch an die zuständige Stelle; der Bearbeitungsstand ist öffentlich auf einer
            Karte zu sehen. Doppelte Meldungen werden zusammengeführt, damit nicht mehrere Teams ausrücken.

            Zum Start werden die Kategorien Straßen und Wege, Beleuchtung, Grünflächen und Sauberkeit angeboten.
            Die Meldungen fließen anonymisiert in das Open-Data-Portal ein.
        """),
        "description_en": _paragraphs("""
            A pothole on a bike path, illegally dumped trash on the Neckar bank or a broken street light: so
            far, such problems have to be reported by phone or email, and it is often unclear which department
            is responsible.

            An issue reporter lets people report damage with a photo and location in just a few steps. The
            report goes automatically to the responsible office, and its progress is shown publicly on a map.
            Duplicate reports are merged so that several teams are not sent out.

            At launch, the categories roads and paths, lighting, green spaces and cleanliness will be available.
            The reports are fed anonymously into the open data portal.
        """),
    },
    # --- Bildung ---
    {
        "slug": "digitale-lernumgebung-schulen",
        "field": "bildung",
        "status": "in_progress",
        "origin": "catalogue",
        "estimated_cost": Decimal("6000000"),
        "title": "Digitale Lernumgebung für alle Schulen",
        "title_en": "A digital learning environment for all schools",
        "summary": (
            "Schnelles WLAN in jedem Klassenzimmer, Leihgeräte für Schülerinnen und Schüler, eine gemeinsame "
            "Lernplattform und ein verlässlicher IT-Support."
        ),
        "summary_en": (
            "Fast Wi-Fi in every classroom, loan devices for students, a shared learning platform and reliable IT "
            "support."
        ),
        "description": _paragraphs("""
            Die Ausstattung der städtischen Schulen mit digitaler Technik ist sehr unterschiedlich: Manche
            Schulen haben flächendeckendes WLAN und Tabletklassen, andere kämpfen mit veralteten Geräten und
            langsamen Anschlüssen. Lehrkräfte verbringen viel Zeit damit, Technik zu betreuen, statt zu
            unterrichten.

            Die Maßnahme sorgt für einheitliche Standards: leistungsfähiges WLAN in allen Unterrichtsräumen,
            Präsentationstechnik, Leihgeräte für Schülerinnen und Schüler ohne eigenes Gerät und eine
            datenschutzkonforme Lernplattform. Ein zentraler IT-Support der Stadt übernimmt Wartung und Updates,
            damit sich Lehrkräfte auf die Pädagogik konzentrieren können.

            Bis Ende 2025 wurden 18 Schulen ausgestattet; die übrigen folgen bis Mitte 2027. Begleitend bieten
            Medienpädagoginnen und Medienpädagogen Fortbildungen für Lehrkräfte an.
        """),
        "description_en": _paragraphs("""
            Municipal schools are equipped with digital technology to very different standards: some have Wi-Fi
            throughout and tablet classes, others struggle with outdated devices and slow connections. Teachers
            spend a lot of time looking after technology instead of teaching.

            This measure establishes common standards: high-performance Wi-Fi in all classrooms, presentation
            equipment, loan devices for students who have none of their own and a learning platform that complies
            with data protection rules. A central city IT support team takes care of maintenance and updates so
            that teachers can concentrate on teaching.

            By the end of 2025, 18 schools had been equipped; the others will follow by mid-2027. Media educators
            offer accompanying training for teachers.
        """),
    },
    {
        "slug": "digitallotsen",
        "field": "bildung",
        "status": "proposed",
        "origin": "workshop",
        "estimated_cost": Decimal("150000"),
        "title": "Digitallotsinnen und Digitallotsen für ältere Menschen",
        "title_en": "Digital guides for older people",
        "summary": (
            "Geschulte Ehrenamtliche helfen älteren Menschen in Stadtteiltreffs und Bibliotheken, Smartphone, "
            "Tablet und Online-Dienste sicher zu nutzen."
        ),
        "summary_en": (
            "Trained volunteers help older people in community centers and libraries to use smartphones, tablets "
            "and online services safely."
        ),
        "description": _paragraphs("""
            Viele ältere Menschen möchten digitale Angebote nutzen – Videotelefonate mit den Enkeln,
            Online-Banking oder die Terminbuchung im Bürgeramt –, trauen sich aber nicht oder haben niemanden,
            den sie fragen können. Wenn Verwaltungsleistungen digital werden, dürfen sie nicht abgehängt werden.

            Im Expertenworkshop Bildung entstand der Vorschlag, Ehrenamtliche zu Digitallotsinnen und
            Digitallotsen auszubilden. Sie bieten feste Sprechstunden in Stadtteiltreffs, Begegnungsstätten und
            der Stadtbibliothek an, erklären geduldig Schritt für Schritt und helfen, Betrugsversuche zu
            erkennen. Leihtablets ermöglichen es, Geräte erst einmal auszuprobieren.

            Zum Start sollen 25 Ehrenamtliche geschult werden, die in sechs Stadtteilen Sprechstunden anbieten.
            Eine hauptamtliche Koordinationsstelle organisiert Schulungen, Einsatzpläne und den
            Erfahrungsaustausch.
        """),
        "description_en": _paragraphs("""
            Many older people would like to use digital services – video calls with their grandchildren, online
            banking or booking an appointment at the citizens' office – but lack confidence or have nobody to
            ask. As public services go digital, they must not be left behind.

            The expert workshop on education proposed training volunteers as digital guides. They hold regular
            drop-in sessions in community centers, meeting places and the city library, explain things patiently
            step by step and help people recognize scams. Loan tablets let people try out devices first.

            At the start, 25 volunteers are to be trained to hold sessions in six districts. A paid coordinator
            organizes training, schedules and the exchange of experience.
        """),
    },
    {
        "slug": "makerspace-stadtbibliothek",
        "field": "bildung",
        "status": "proposed",
        "origin": "catalogue",
        "estimated_cost": Decimal("220000"),
        "title": "Makerspace in der Stadtbibliothek",
        "title_en": "Makerspace in the city library",
        "summary": (
            "Ein offener Werkraum mit 3D-Druckern, Lasercutter, Elektronik-Baukästen und Programmierkursen für "
            "Kinder, Jugendliche und Erwachsene."
        ),
        "summary_en": (
            "An open workshop with 3D printers, a laser cutter, electronics kits and coding courses for children, "
            "young people and adults."
        ),
        "description": _paragraphs("""
            Digitale Bildung gelingt am besten, wenn Menschen selbst ausprobieren können. Die Experimenta
            begeistert für Wissenschaft, doch es fehlt ein niedrigschwelliger Ort im Alltag, an dem man
            regelmäßig und kostenlos an eigenen Projekten arbeiten kann.

            Der Makerspace in der Stadtbibliothek bietet dafür Geräte wie 3D-Drucker, einen Lasercutter,
            Mikrocontroller und Robotik-Sets. Regelmäßige Workshops – etwa Programmieren für Kinder, Reparieren
            statt Wegwerfen oder eine Einführung in Künstliche Intelligenz – entstehen gemeinsam mit den
            Hochschulen am Bildungscampus und mit Vereinen.

            Erster Schritt ist ein einjähriger Probebetrieb auf einer vorhandenen Fläche der Bibliothek, um
            Nachfrage und Öffnungszeiten zu testen.
        """),
        "description_en": _paragraphs("""
            Digital education works best when people can try things out for themselves. The Experimenta inspires
            enthusiasm for science, but there is no easy-to-reach everyday place where people can work on their
            own projects regularly and free of charge.

            The makerspace in the city library offers equipment such as 3D printers, a laser cutter,
            microcontrollers and robotics kits. Regular workshops – for example coding for children, repair
            instead of throwing away, or an introduction to artificial intelligence – are developed together with
            the universities at the Bildungscampus and local clubs.

            The first step is a one-year trial in an existing area of the library to test demand and opening
            hours.
        """),
    },
    # --- Energie und Umwelt ---
    {
        "slug": "energiemonitoring-gebaeude",
        "field": "energie-umwelt",
        "status": "planned",
        "origin": "catalogue",
        "estimated_cost": Decimal("900000"),
        "title": "Energiemonitoring für städtische Gebäude",
        "title_en": "Energy monitoring for municipal buildings",
        "summary": (
            "Digitale Zähler in Schulen, Sporthallen und Verwaltungsgebäuden zeigen den Verbrauch von Strom, "
            "Wärme und Wasser nahezu in Echtzeit und decken Einsparmöglichkeiten auf."
        ),
        "summary_en": (
            "Digital meters in schools, sports halls and office buildings show electricity, heat and water use "
            "almost in real time and reveal opportunities to save."
        ),
        "description": _paragraphs("""
            Die Stadt betreibt weit über hundert Gebäude – Schulen, Kitas, Sporthallen, Verwaltungsgebäude und
            Museen. Ihr Energieverbrauch wird heute meist einmal im Jahr anhand der Abrechnungen ausgewertet.
            Heizungen, die am Wochenende durchlaufen, oder Lüftungen mit falschen Zeitprogrammen fallen so erst
            spät auf.

            Mit fernauslesbaren Zählern und einer Energiemanagement-Software werden Verbräuche im
            Viertelstundentakt erfasst. Das Gebäudemanagement erhält automatische Hinweise bei Auffälligkeiten,
            Hausmeisterinnen und Hausmeister sehen die Daten auf dem Tablet. Erfahrungen aus anderen Städten
            zeigen, dass schon eine bessere Betriebsführung spürbar Energie spart.

            Zuerst werden die 20 Gebäude mit dem höchsten Verbrauch ausgestattet. Ausgewählte Daten werden in den
            Schulen auf Bildschirmen gezeigt und können so im Unterricht genutzt werden.
        """),
        "description_en": _paragraphs("""
            The city runs well over a hundred buildings – schools, day-care centers, sports halls, offices and
            museums. Today their energy use is usually analyzed once a year from the bills. Heating that runs all
            weekend or ventilation with the wrong timer settings is therefore noticed late.

            With remotely read meters and energy management software, consumption is recorded every fifteen
            minutes. Building management receives automatic alerts when something looks unusual, and custodians
            see the data on a tablet. Experience from other cities shows that better operation alone saves a
            noticeable amount of energy.

            The 20 buildings with the highest consumption will be equipped first. Selected data will be shown on
            screens in schools so that it can be used in lessons.
        """),
    },
    {
        "slug": "messnetz-stadtklima",
        "field": "energie-umwelt",
        "status": "proposed",
        "origin": "catalogue",
        "estimated_cost": Decimal("420000"),
        "title": "Messnetz für Luftqualität und Stadtklima",
        "title_en": "Monitoring network for air quality and urban climate",
        "summary": (
            "Rund 60 Sensoren messen Temperatur, Luftfeuchte, Feinstaub und Stickstoffdioxid und zeigen, wo sich "
            "die Stadt im Sommer besonders aufheizt."
        ),
        "summary_en": (
            "Around 60 sensors measure temperature, humidity, particulate matter and nitrogen dioxide and show "
            "where the city heats up most in summer."
        ),
        "description": _paragraphs("""
            Die Innenstadt heizt sich an Sommertagen deutlich stärker auf als das Umland. Wo genau die
            Hitzeinseln liegen und wie neue Bäume, Wasserflächen oder helle Beläge wirken, ist bisher vor allem
            aus Modellrechnungen bekannt. Für Luftschadstoffe gibt es nur wenige amtliche Messstationen.

            Das Messnetz ergänzt diese Stationen um rund 60 kostengünstige Sensoren an Laternen, Schulen und
            Haltestellen. Sie übertragen ihre Werte über das städtische LoRaWAN-Funknetz an die urbane
            Datenplattform. Die Daten stehen als offene Daten und in einer Online-Karte bereit und helfen,
            Hitzeschutz und Begrünung gezielt zu planen.

            Erste Sensoren werden im Reallabor Neckarbogen erprobt. Schulen können sich bewerben, einen Sensor
            zu betreuen und die Messwerte im Unterricht zu nutzen.
        """),
        "description_en": _paragraphs("""
            On summer days the city center heats up considerably more than the surrounding countryside. Exactly
            where the heat islands are and what effect new trees, water features or light-colored surfaces have
            is so far known mainly from computer models. There are only a few official stations measuring air
            pollutants.

            The network adds around 60 low-cost sensors on street lights, schools and bus stops to these
            stations. They send their readings over the city's LoRaWAN radio network to the urban data platform.
            The data is available as open data and on an online map, and helps to plan heat protection and
            greening where they are most needed.

            The first sensors are being tested in the Neckarbogen living lab. Schools can apply to look after a
            sensor and use its readings in lessons.
        """),
    },
    {
        "slug": "intelligente-strassenbeleuchtung",
        "field": "energie-umwelt",
        "status": "proposed",
        "origin": "catalogue",
        "estimated_cost": Decimal("2600000"),
        "title": "Intelligente Straßenbeleuchtung",
        "title_en": "Smart street lighting",
        "summary": (
            "LED-Leuchten, die nachts gedimmt werden und sich bei Bedarf heller schalten, sparen Strom, schonen "
            "Insekten und melden Defekte selbst."
        ),
        "summary_en": (
            "LED lights that dim at night and brighten when needed save electricity, protect insects and report "
            "faults by themselves."
        ),
        "description": _paragraphs("""
            Die Straßenbeleuchtung ist einer der größten Stromverbraucher der Stadt. Ein Teil der Leuchten ist
            bereits auf LED umgestellt, brennt aber die ganze Nacht mit gleicher Helligkeit – auch in
            Nebenstraßen, in denen nach Mitternacht kaum jemand unterwegs ist.

            Intelligente Leuchten werden nachts gedimmt und schalten sich heller, sobald Bewegungsmelder
            Fußgängerinnen, Radfahrende oder Autos erkennen. Jede Leuchte meldet Störungen automatisch, sodass
            Defekte schneller behoben werden. Warmweißes Licht und eine geringere Grundhelligkeit schützen
            nachtaktive Insekten. Unterführungen, Haltestellen und Schulwege bleiben dauerhaft gut beleuchtet.

            Vorgeschlagen wird, zunächst zwei Wohngebiete umzurüsten und die Wirkung auf Stromverbrauch und
            Sicherheitsgefühl gemeinsam mit den Anwohnenden auszuwerten.
        """),
        "description_en": _paragraphs("""
            Street lighting is one of the city's largest electricity consumers. Some of the lights have already
            been converted to LED but burn at the same brightness all night – even in side streets where hardly
            anyone is about after midnight.

            Smart lights dim at night and brighten as soon as motion sensors detect pedestrians, cyclists or
            cars. Each light reports faults automatically so that defects are repaired faster. Warm white light
            and a lower base level protect nocturnal insects. Underpasses, bus stops and routes to school remain
            well lit at all times.

            The proposal is to convert two residential areas first and to evaluate the effect on electricity use
            and on people's sense of safety together with residents.
        """),
    },
    {
        "slug": "fuellstandssensoren-abfall",
        "field": "energie-umwelt",
        "status": "rejected",
        "origin": "catalogue",
        "estimated_cost": Decimal("310000"),
        "title": "Füllstandssensoren für öffentliche Abfallbehälter",
        "title_en": "Fill-level sensors for public litter bins",
        "summary": (
            "Sensoren sollten melden, wann Abfallbehälter voll sind, um Leerungsfahrten zu planen. Nach einer "
            "Prüfung wird die Maßnahme nicht weiterverfolgt."
        ),
        "summary_en": (
            "Sensors were to report when litter bins are full so that collection rounds could be planned. After "
            "review, the measure is not being pursued."
        ),
        "description": _paragraphs("""
            Die Idee: Öffentliche Abfallbehälter werden mit Sensoren ausgestattet, die ihren Füllstand melden.
            Die Stadtreinigung leert nur noch volle Behälter und plant ihre Touren danach, statt alle Behälter
            nach festem Plan anzufahren.

            Die Prüfung durch die Abfallwirtschaft ergab, dass die Maßnahme in Heilbronn wenig bringt: Die
            meisten Behälter liegen ohnehin an festen Reinigungsrouten, und die Kosten für Sensoren,
            Batteriewechsel und Wartung übersteigen die erwarteten Einsparungen deutlich. In einem kleinen Test
            wurden zudem mehrere Sensoren nach kurzer Zeit beschädigt.

            Die Maßnahme wurde deshalb abgelehnt. Für stark besuchte Orte wie die Neckarmeile werden stattdessen
            größere Behälter mit Pressfunktion geprüft. Die Begründung bleibt zur Nachvollziehbarkeit hier
            veröffentlicht.
        """),
        "description_en": _paragraphs("""
            The idea: public litter bins are fitted with sensors that report how full they are. Street cleaning
            then empties only full trash cans and plans its rounds accordingly instead of visiting each one on a fixed
            schedule.

            The waste management department's review found that the measure would achieve little in Heilbronn:
            most bins are on fixed cleaning routes anyway, and the costs of sensors, battery changes and
            maintenance clearly exceed the expected savings. In a small trial, several sensors were also damaged
            after a short time.

            The measure was therefore rejected. For busy places such as the Neckarmeile promenade, larger bins
            with a compacting function are being considered instead. The reasons remain published here for
            transparency.
        """),
    },
    {
        "slug": "fruehwarnsystem-starkregen",
        "field": "energie-umwelt",
        "status": "proposed",
        "origin": "workshop",
        "estimated_cost": Decimal("750000"),
        "title": "Frühwarnsystem für Starkregen und Hochwasser",
        "title_en": "Early warning system for heavy rain and flooding",
        "summary": (
            "Pegel- und Regensensoren an kleineren Bächen im Stadtgebiet warnen Anwohnende und Einsatzkräfte "
            "frühzeitig per App und Sirene."
        ),
        "summary_en": (
            "Water level and rain sensors on smaller streams in the city area give residents and emergency "
            "services early warning via app and siren."
        ),
        "description": _paragraphs("""
            Starkregen kann auch kleine Bäche innerhalb weniger Minuten anschwellen lassen, wie Unwetter in
            Süddeutschland in den vergangenen Jahren gezeigt haben. Für den Neckar gibt es amtliche Pegel; an
            den kleineren Gewässern im Stadtgebiet fehlen dagegen Messungen, und Warnungen kommen oft zu spät.

            Im Expertenworkshop Energie und Umwelt wurde vorgeschlagen, an gefährdeten Stellen Pegel- und
            Niederschlagssensoren zu installieren. Überschreiten die Werte festgelegte Schwellen, werden
            Feuerwehr, Tiefbau und Anwohnende automatisch gewarnt – über Warn-Apps und an ausgewählten Orten über
            Sirenen. Die Daten verbessern zudem die Starkregengefahrenkarten der Stadt.

            Als erster Schritt ermittelt die Stadt gemeinsam mit der Feuerwehr, an welchen Stellen Sensoren den
            größten Nutzen bringen. Danach folgt ein Pilot an zwei Bächen.
        """),
        "description_en": _paragraphs("""
            Heavy rain can make even small streams swell within minutes, as storms in southern Germany have shown
            in recent years. There are official gauges on the Neckar, but the smaller watercourses in the city
            area are not monitored, and warnings often come too late.

            The expert workshop on energy and environment proposed installing water level and rainfall sensors
            at vulnerable spots. When readings exceed set thresholds, the fire brigade, civil engineering staff
            and residents are warned automatically – via warning apps and, in selected places, sirens. The data
            also improves the city's heavy-rain hazard maps.

            As a first step, the city and the fire brigade will identify where sensors would be most useful. A
            pilot on two streams will follow.
        """),
    },
    # --- Wirtschaft und Arbeit ---
    {
        "slug": "digitales-schaufenster",
        "field": "wirtschaft-arbeit",
        "status": "proposed",
        "origin": "catalogue",
        "estimated_cost": Decimal("180000"),
        "title": "Digitales Schaufenster für den Innenstadthandel",
        "title_en": "Digital storefront for downtown retail",
        "summary": (
            "Eine gemeinsame Plattform zeigt Sortiment, Öffnungszeiten und Aktionen der Heilbronner Geschäfte – "
            "online reservieren, im Laden abholen."
        ),
        "summary_en": (
            "A shared platform shows the ranges, business hours and offers of Heilbronn's stores – reserve online, "
            "pick up in store."
        ),
        "description": _paragraphs("""
            Der inhabergeführte Einzelhandel in der Innenstadt steht durch den Onlinehandel unter Druck. Viele
            kleine Geschäfte haben weder Zeit noch Budget für einen eigenen Onlineshop, und Kundinnen und Kunden
            wissen oft nicht, dass das gesuchte Produkt ein paar Straßen weiter vorrätig ist.

            Das digitale Schaufenster ist eine gemeinsame Plattform für Handel, Gastronomie und Dienstleister.
            Geschäfte stellen mit wenig Aufwand Öffnungszeiten, Aktionen und ausgewählte Produkte ein; Kundinnen
            und Kunden können Waren reservieren und im Laden abholen. Die Plattform verweist auf freie
            Parkplätze und auf Veranstaltungen in der Innenstadt.

            Entwickelt wird die Plattform gemeinsam mit dem Stadtmarketing und den Händlervereinigungen. Im
            ersten Jahr übernimmt die Stadt die Gebühren, danach soll sich das Angebot über geringe Beiträge der
            teilnehmenden Betriebe tragen.
        """),
        "description_en": _paragraphs("""
            Owner-run stores in the city center are under pressure from online retail. Many small stores have
            neither the time nor the budget for their own online store, and customers often do not know that the
            product they are looking for is in stock a few streets away.

            The digital storefront is a shared platform for retail, restaurants and service providers. Stores
            can easily add business hours, offers and selected products; customers can reserve goods and collect
            them in store. The platform points to free parking spaces and to events in the city center.

            The platform is being developed with city marketing and the retailers' associations. In the first
            year the city covers the fees; after that the service is to be financed by small contributions from
            participating businesses.
        """),
    },
    {
        "slug": "anlaufstelle-digitalisierung-kmu",
        "field": "wirtschaft-arbeit",
        "status": "planned",
        "origin": "catalogue",
        "estimated_cost": Decimal("400000"),
        "title": "Anlaufstelle Digitalisierung für kleine und mittlere Unternehmen",
        "title_en": "Digitalization help desk for small and medium-sized businesses",
        "summary": (
            "Kostenlose Erstberatung, Praxisworkshops und Kontakte zu Hochschulen und IT-Dienstleistern für "
            "Handwerk, Handel und Mittelstand."
        ),
        "summary_en": (
            "Free initial advice, practical workshops and contacts with universities and IT service providers for "
            "crafts, retail and medium-sized businesses."
        ),
        "description": _paragraphs("""
            Viele kleine Unternehmen wissen, dass sie digitaler werden müssen, aber nicht, wo sie anfangen
            sollen: Welche Software passt zum Betrieb? Wie schütze ich mich vor Cyberangriffen? Welche
            Förderprogramme gibt es? Die Angebote von Kammern, Verbänden und Land sind zahlreich, aber
            unübersichtlich.

            Die Anlaufstelle der Wirtschaftsförderung bündelt diese Angebote. Sie bietet eine kostenlose
            Erstberatung, vermittelt an passende Förderprogramme und Fachleute und organisiert Praxisworkshops,
            etwa zu IT-Sicherheit, digitaler Buchhaltung oder dem Einsatz Künstlicher Intelligenz im Betrieb.
            Studierende der Hochschulen am Bildungscampus können in Praxisprojekten unterstützen.

            Die Anlaufstelle soll Ende 2026 mit zwei Beratungskräften starten. Nach zwei Jahren wird ausgewertet,
            wie viele Betriebe erreicht wurden und was sich dort verändert hat.
        """),
        "description_en": _paragraphs("""
            Many small businesses know that they need to go digital but not where to start: Which software suits
            the business? How do I protect myself against cyber attacks? Which funding programs exist? There
            are many offers from chambers, associations and the state, but they are hard to keep track of.

            The economic development office's help desk brings these offers together. It provides free initial
            advice, refers businesses to suitable funding programs and experts, and organizes practical
            workshops, for example on IT security, digital bookkeeping or using artificial intelligence in a
            small business. Students from the universities at the Bildungscampus can help in practical projects.

            The help desk is to open at the end of 2026 with two advisers. After two years, the city will
            evaluate how many businesses were reached and what changed for them.
        """),
    },
    # --- Gesundheit und Pflege ---
    {
        "slug": "pflegeplatzboerse",
        "field": "gesundheit-pflege",
        "status": "proposed",
        "origin": "catalogue",
        "estimated_cost": Decimal("140000"),
        "title": "Pflegeplatzbörse: freie Plätze auf einen Blick",
        "title_en": "Care vacancy finder: available places at a glance",
        "summary": (
            "Pflegeheime, Tagespflegen und ambulante Dienste melden freie Kapazitäten tagesaktuell – Angehörige "
            "und Sozialdienste finden schneller einen Platz."
        ),
        "summary_en": (
            "Care homes, day care and home care services report free capacity every day – families and hospital "
            "social services find a place faster."
        ),
        "description": _paragraphs("""
            Wird ein Angehöriger nach einem Krankenhausaufenthalt plötzlich pflegebedürftig, beginnt für Familien
            oft eine mühsame Suche: Sie telefonieren Dutzende Einrichtungen ab, um einen freien Platz in der
            Kurzzeitpflege oder einen ambulanten Dienst zu finden. Auch die Sozialdienste der Kliniken verlieren
            dabei viel Zeit.

            Die Pflegeplatzbörse ist eine einfache Online-Übersicht, in die Einrichtungen und Dienste in Stadt
            und Landkreis ihre freien Kapazitäten selbst eintragen. Angehörige filtern nach Art der Pflege,
            Stadtteil und Zeitraum und nehmen direkt Kontakt auf. Der Pflegestützpunkt berät weiterhin
            persönlich und nutzt die Börse als Werkzeug.

            Voraussetzung ist, dass möglichst viele Einrichtungen mitmachen. Deshalb wird die Börse gemeinsam mit
            den Trägern entwickelt und so einfach gehalten, dass eine Aktualisierung weniger als eine Minute
            dauert.
        """),
        "description_en": _paragraphs("""
            When a relative suddenly needs care after a hospital stay, families often face a laborious search:
            they phone dozens of facilities to find a free short-term care place or a home care service.
            Hospital social services also lose a lot of time this way.

            The care vacancy finder is a simple online overview in which facilities and services in the city and
            the surrounding district enter their free capacity themselves. Families filter by type of care,
            district and period and contact providers directly. The local care advice center continues to give
            personal advice and uses the finder as a tool.

            It only works if as many facilities as possible take part. The finder is therefore being developed
            together with the care providers and kept so simple that an update takes less than a minute.
        """),
    },
    {
        "slug": "telemedizin-stadtteile",
        "field": "gesundheit-pflege",
        "status": "proposed",
        "origin": "workshop",
        "estimated_cost": Decimal("520000"),
        "title": "Telemedizinische Sprechstunden in den Stadtteilen",
        "title_en": "Telemedicine consultations in the districts",
        "summary": (
            "Ausgestattete Räume in Stadtteilzentren ermöglichen Videosprechstunden mit Hausärztinnen und "
            "Hausärzten – begleitet von medizinischem Fachpersonal vor Ort."
        ),
        "summary_en": (
            "Equipped rooms in district centers make video consultations with GPs possible – supported by "
            "medical staff on site."
        ),
        "description": _paragraphs("""
            In manchen Stadtteilen am Rand der Stadt gibt es nur noch wenige Hausarztpraxen. Für ältere oder
            mobilitätseingeschränkte Menschen wird der Weg zur Praxis zur Hürde, und Routinetermine werden
            aufgeschoben.

            Im Expertenworkshop Gesundheit wurde vorgeschlagen, in Stadtteilzentren Räume für Videosprechstunden
            einzurichten. Medizinische Fachangestellte begleiten die Termine, messen Blutdruck oder Blutzucker
            mit vernetzten Geräten und übermitteln die Werte an die behandelnde Praxis. Rezepte und
            Überweisungen kommen digital. Besonders profitieren Menschen ohne eigenes Gerät oder Internet.

            Geprüft wird ein Pilot mit zwei Standorten in Zusammenarbeit mit einem regionalen Praxisnetz. Die
            Stadt stellt Räume und Technik, die medizinische Verantwortung bleibt bei den Praxen.
        """),
        "description_en": _paragraphs("""
            In some districts on the edge of the city, only a few Doctors' offices remain. For older people or those
            with limited mobility, getting to the practice becomes an obstacle, and routine appointments are put
            off.

            The expert workshop on health proposed setting up rooms for video consultations in district
            centers. Medical assistants accompany the appointments, measure blood pressure or blood sugar with
            connected devices and send the readings to the patient's practice. Prescriptions and referrals
            arrive digitally. People without their own device or internet access benefit most.

            A pilot at two locations in cooperation with a regional network of practices is being considered.
            The city provides the rooms and equipment; medical responsibility stays with the practices.
        """),
    },
    # --- Digitale Infrastruktur ---
    {
        "slug": "glasfaserausbau",
        "field": "digitale-infrastruktur",
        "status": "in_progress",
        "origin": "catalogue",
        "estimated_cost": None,
        "title": "Glasfaser für alle Haushalte und Gewerbegebiete",
        "title_en": "Fibre for all households and business parks",
        "summary": (
            "Gemeinsam mit Netzbetreibern wird das Glasfasernetz ausgebaut; Lücken, die sich für private Anbieter "
            "nicht lohnen, schließt ein geförderter Ausbau."
        ),
        "summary_en": (
            "The fibre network is being expanded together with network operators; gaps that are not profitable "
            "for private providers are closed with subsidized roll-out."
        ),
        "description": _paragraphs("""
            Schnelles Internet ist Voraussetzung für Homeoffice, digitale Schulen und moderne Unternehmen. In
            Teilen der Stadt und in einigen Gewerbegebieten gibt es heute nur Anschlüsse über Kupferleitungen
            mit begrenzter Bandbreite.

            Die Stadt koordiniert den Ausbau mehrerer Netzbetreiber, damit Straßen nicht mehrfach aufgerissen
            werden, und verlegt bei eigenen Tiefbauarbeiten Leerrohre mit. Für Gebiete, in denen sich ein
            privatwirtschaftlicher Ausbau nicht lohnt, werden Fördermittel von Bund und Land beantragt. Schulen,
            Kliniken und Gewerbegebiete haben Vorrang.

            Die Kosten tragen überwiegend die Netzbetreiber und Förderprogramme; der städtische Anteil wird je
            Ausbauabschnitt beziffert und ist deshalb hier nicht als Gesamtsumme angegeben. Ein öffentlicher
            Ausbauatlas zeigt, wann welche Straße angeschlossen wird.
        """),
        "description_en": _paragraphs("""
            Fast internet is a precondition for working from home, digital schools and modern businesses. In
            parts of the city and in some business parks, only copper connections with limited bandwidth are
            available today.

            The city coordinates the work of several network operators so that streets are not dug up more than
            once, and lays empty ducts whenever it carries out its own road works. For areas where private
            roll-out is not profitable, funding is requested from the federal and state governments. Schools,
            hospitals and business parks have priority.

            Most of the costs are borne by the network operators and funding programs; the city's share is
            calculated for each section and is therefore not given here as a total. A public roll-out map shows
            when each street will be connected.
        """),
    },
    {
        "slug": "oeffentliches-wlan",
        "field": "digitale-infrastruktur",
        "status": "done",
        "origin": "catalogue",
        "estimated_cost": Decimal("240000"),
        "title": "Freies WLAN an öffentlichen Plätzen",
        "title_en": "Free Wi-Fi in public places",
        "summary": (
            "Kostenloses WLAN ohne Registrierung auf zentralen Plätzen der Innenstadt, am Neckarufer und in "
            "städtischen Einrichtungen."
        ),
        "summary_en": (
            "Free Wi-Fi without registration on central squares in the city center, along the Neckar and in "
            "municipal buildings."
        ),
        "description": _paragraphs("""
            Ob Gäste der Stadt, Schülerinnen und Schüler oder Menschen mit kleinem Datenvolumen: Ein freier
            Internetzugang im öffentlichen Raum ist heute ein Stück Daseinsvorsorge.

            Auf zentralen Plätzen der Innenstadt wie dem Marktplatz und dem Kiliansplatz, am Neckarufer sowie in
            Bürgerämtern, Bibliotheken und Museen steht ein kostenloses WLAN ohne Registrierung zur Verfügung.
            Der Zugang ist datenschutzfreundlich gestaltet: Es werden keine personenbezogenen Daten zu
            Werbezwecken erhoben. Eine Startseite informiert über Veranstaltungen und Angebote der Stadt.

            Die Maßnahme ist umgesetzt. Anhand anonymer Nutzungszahlen wird geprüft, welche Orte – etwa
            Stadtteilzentren und Freibäder – als Nächstes angeschlossen werden.
        """),
        "description_en": _paragraphs("""
            Whether for visitors, students or people with a small data plan: free internet access in public spaces
            is part of today's basic public services.

            Free Wi-Fi without registration is available on central squares in the city center such as the
            Marktplatz and Kiliansplatz, along the Neckar and in citizens' offices, libraries and museums. Access
            is designed to protect privacy: no personal data is collected for advertising. A landing page
            provides information about events and city services.

            This measure has been implemented. Anonymous usage figures are used to decide which places – such as
            district centers and outdoor pools – will be connected next.
        """),
    },
    {
        "slug": "lorawan-funknetz",
        "field": "digitale-infrastruktur",
        "status": "in_progress",
        "origin": "catalogue",
        "estimated_cost": Decimal("190000"),
        "title": "Stadtweites LoRaWAN-Funknetz für Sensoren",
        "title_en": "City-wide LoRaWAN radio network for sensors",
        "summary": (
            "Ein energiesparendes Funknetz überträgt Messwerte von Sensoren – etwa zu Klima, Parkplätzen oder "
            "Pegelständen – zuverlässig und kostengünstig."
        ),
        "summary_en": (
            "An energy-saving radio network transmits sensor readings – for example on climate, parking spaces or "
            "water levels – reliably and at low cost."
        ),
        "description": _paragraphs("""
            Viele Smart-City-Anwendungen beruhen auf kleinen Sensoren, die nur wenige Daten senden, dafür aber
            jahrelang mit einer Batterie auskommen sollen. Mobilfunk ist dafür zu teuer und verbraucht zu viel
            Strom.

            LoRaWAN ist ein offener Funkstandard, der genau diese Anforderungen erfüllt. Mit rund 15 Gateways auf
            städtischen Gebäuden lässt sich das gesamte Stadtgebiet abdecken. Das Netz steht allen Ämtern offen
            und kann nach klaren Regeln auch von Hochschulen, Schulen und Unternehmen genutzt werden.

            Ein Pilotnetz mit fünf Gateways ist in Betrieb und versorgt die Sensoren im Reallabor Neckarbogen.
            Bis Ende 2027 soll das Netz auf das ganze Stadtgebiet ausgeweitet werden.
        """),
        "description_en": _paragraphs("""
            Many Smart City applications rely on small sensors that send only little data but are expected to
            run for years on a single battery. Mobile networks are too expensive and use too much power for this.

            LoRaWAN is an open radio standard that meets exactly these requirements. Around 15 gateways on
            municipal buildings can cover the whole city. The network is open to all departments and, under clear
            rules, can also be used by universities, schools and companies.

            A pilot network with five gateways is in operation and serves the sensors in the Neckarbogen living
            lab. By the end of 2027 the network is to be extended to the whole city.
        """),
    },
    {
        "slug": "urbane-datenplattform",
        "field": "digitale-infrastruktur",
        "status": "planned",
        "origin": "catalogue",
        "estimated_cost": Decimal("1600000"),
        "title": "Urbane Datenplattform",
        "title_en": "Urban data platform",
        "summary": (
            "Daten aus Verkehr, Umwelt, Energie und Verwaltung laufen auf einer sicheren, offenen Plattform "
            "zusammen – als Grundlage für Planung, Dashboards und offene Daten."
        ),
        "summary_en": (
            "Data on traffic, environment, energy and administration come together on a secure, open platform – "
            "as the basis for planning, dashboards and open data."
        ),
        "description": _paragraphs("""
            Städtische Daten liegen heute verstreut in vielen Fachverfahren, Tabellen und Systemen externer
            Dienstleister. Wer zum Beispiel Verkehrsdaten mit Luftmesswerten verknüpfen will, muss sie mühsam
            zusammentragen.

            Die urbane Datenplattform verbindet diese Quellen über standardisierte Schnittstellen. Sie speichert
            Sensordaten, stellt Dashboards für Verwaltung und Gemeinderat bereit und veröffentlicht freigegebene
            Daten automatisch im Open-Data-Portal. Sie setzt auf Open-Source-Software und offene Standards,
            damit die Stadt nicht von einem einzelnen Anbieter abhängig wird. Datenschutz und
            Informationssicherheit werden von Beginn an mitgedacht.

            Im ersten Schritt werden die Anforderungen der Ämter erhoben und die Daten des
            Verkehrsmanagements, des Messnetzes Stadtklima und des Energiemonitorings angebunden.
        """),
        "description_en": _paragraphs("""
            Today the city's data is scattered across many specialist systems, spreadsheets and the systems of
            external service providers. Anyone who wants to combine traffic data with air quality readings, for
            example, has to gather them laboriously.

            The urban data platform connects these sources through standardized interfaces. It stores sensor
            data, provides dashboards for the administration and the city council, and automatically publishes
            approved data on the open data portal. It is built on open-source software and open standards so that
            the city does not depend on a single supplier. Data protection and information security are built in
            from the start.

            The first step is to gather the departments' requirements and to connect the data from traffic
            management, the urban climate network and energy monitoring.
        """),
    },
    # --- Kultur und Stadtgesellschaft ---
    {
        "slug": "digitaler-stadtrundgang",
        "field": "kultur-stadtgesellschaft",
        "status": "proposed",
        "origin": "citizen",
        "estimated_cost": Decimal("75000"),
        "title": "Stadtgeschichte zum Mitnehmen: ein digitaler Rundgang",
        "title_en": "History to go: a digital city walk",
        "summary": (
            "Ein Rundgang per Smartphone führt zu Orten der Stadtgeschichte – mit historischen Fotos, Hörbeiträgen "
            "und Erinnerungen von Heilbronnerinnen und Heilbronnern."
        ),
        "summary_en": (
            "A smartphone walk leads to places in the city's history – with historical photos, audio stories and "
            "memories shared by people from Heilbronn."
        ),
        "description": _paragraphs("""
            Die Heilbronner Innenstadt wurde im Dezember 1944 fast vollständig zerstört; vieles, was die Stadt
            früher prägte, ist heute nicht mehr sichtbar. Ein Bürger schlug vor, diese Geschichte digital
            erlebbar zu machen.

            Ein digitaler Rundgang führt per Smartphone zu rund 20 Stationen – vom Marktplatz und der
            Kilianskirche über das Neckarufer bis zum Neckarbogen. An jeder Station zeigen historische Fotos, wie
            der Ort früher aussah; Hörbeiträge erzählen Geschichten aus mehreren Jahrhunderten. Heilbronnerinnen
            und Heilbronner können eigene Erinnerungen und Fotos beisteuern, die nach redaktioneller Prüfung
            aufgenommen werden.

            Umgesetzt werden könnte der Rundgang gemeinsam mit dem Stadtarchiv, Schulen und Geschichtsvereinen.
            Die Inhalte sollen ohne App im Browser abrufbar und auch in Leichter Sprache verfügbar sein.
        """),
        "description_en": _paragraphs("""
            Heilbronn's city center was almost completely destroyed in December 1944; much of what once shaped
            the city can no longer be seen. A resident proposed making this history accessible digitally.

            A digital walk guides visitors by smartphone to around 20 stops – from the Marktplatz and St
            Kilian's Church along the Neckar to the Neckarbogen. At each stop, historical photos show what the
            place used to look like, and audio stories tell tales from several centuries. People from Heilbronn
            can contribute their own memories and photos, which are added after editorial review.

            The walk could be created together with the city archive, schools and local history societies. The
            content is to be available in the browser without an app and also in easy-to-read language.
        """),
    },
    {
        "slug": "ehrenamtsplattform",
        "field": "kultur-stadtgesellschaft",
        "status": "proposed",
        "origin": "citizen",
        "estimated_cost": Decimal("110000"),
        "title": "Plattform für Ehrenamt und Nachbarschaftshilfe",
        "title_en": "Platform for volunteering and neighborly help",
        "summary": (
            "Vereine, Initiativen und Nachbarschaften finden online zueinander: Wer sucht Hilfe, wer hat Zeit, "
            "welche Projekte brauchen Unterstützung?"
        ),
        "summary_en": (
            "Clubs, initiatives and neighbors find each other online: Who needs help, who has time, which "
            "projects need support?"
        ),
        "description": _paragraphs("""
            In Heilbronn engagieren sich viele Menschen ehrenamtlich – in Sportvereinen, in der Hilfe für
            Geflüchtete, bei Tafeln oder in Nachbarschaftsinitiativen. Gleichzeitig suchen Vereine dringend
            Helferinnen und Helfer, und viele Menschen würden sich gern engagieren, wissen aber nicht, wo.

            Dieser Vorschlag aus der Bürgerschaft sieht eine Plattform vor, auf der Vereine und Initiativen
            Aufgaben einstellen – vom einmaligen Einsatz beim Stadtfest bis zur regelmäßigen Hausaufgabenhilfe.
            Nachbarinnen und Nachbarn können kleine Hilfen anbieten oder erbitten, etwa Einkäufe für ältere
            Menschen. Die Freiwilligenagentur betreut die Plattform und prüft neue Einträge.

            Den Initiatorinnen und Initiatoren ist wichtig, dass die Plattform werbefrei bleibt und keine Daten
            weitergegeben werden. Geprüft wird, ob sich eine bestehende Open-Source-Lösung nutzen lässt.
        """),
        "description_en": _paragraphs("""
            Many people in Heilbronn volunteer – in sports clubs, helping refugees, at food banks or in
            neighborhood initiatives. At the same time, clubs urgently need helpers, and many people would like
            to get involved but do not know where.

            This proposal from residents envisages a platform on which clubs and initiatives post tasks – from a
            one-off shift at the city festival to regular homework help. Neighbors can offer or ask for small
            favors, such as shopping for older people. The volunteer center runs the platform and checks new
            entries.

            The initiators want the platform to stay free of advertising and to pass on no data. The city is
            checking whether an existing open-source solution can be used.
        """),
    },
]

# The inventory (Bestandserhebung). Company names are invented for the demo.
PROJECTS = [
    {
        "slug": "verkehrsrechner-lichtsignalanlagen",
        "field": "mobilitaet",
        "owner_organisation": "Stadt Heilbronn, Amt für Straßenwesen",
        "owner_kind": "city",
        "status": "running",
        "starts_on": date(2025, 4, 1),
        "ends_on": date(2027, 3, 31),
        "contact_name": "Abteilung Verkehrstechnik",
        "contact_email": "verkehrstechnik@example.org",
        "public": True,
        "title": "Neuer Verkehrsrechner und Anbindung von 40 Ampelanlagen",
        "title_en": "New traffic control computer and connection of 40 traffic light systems",
        "summary": (
            "Der veraltete Verkehrsrechner wird ersetzt; 40 Kreuzungen rund um die Innenstadt erhalten eine "
            "Datenanbindung und eine adaptive Steuerung."
        ),
        "summary_en": (
            "The outdated traffic control computer is being replaced; 40 junctions around the city center are "
            "getting a data connection and adaptive control."
        ),
        "description": _paragraphs("""
            Der bisherige Verkehrsrechner kann die Ampeln nur mit festen Programmen steuern. Im Projekt wird ein
            neuer, herstellerunabhängiger Verkehrsrechner beschafft, und 40 Lichtsignalanlagen an den
            Hauptachsen werden mit Detektoren und einer Datenverbindung ausgestattet.

            Das Projekt ist die technische Grundlage für die Maßnahme „Intelligentes, digitales
            Verkehrsmanagement“. Die ersten Kreuzungen laufen bereits im Testbetrieb im Reallabor Innenstadt.
        """),
        "description_en": _paragraphs("""
            The current traffic control computer can only run the traffic lights on fixed programs. The project
            procures a new, vendor-independent traffic control computer and fits 40 traffic light systems on the
            main roads with detectors and a data connection.

            The project provides the technical basis for the measure "Intelligent digital traffic management".
            The first junctions are already in trial operation in the city center living lab.
        """),
    },
    {
        "slug": "onlinedienste-buergeramt",
        "field": "verwaltung",
        "owner_organisation": "Stadt Heilbronn, Bürgeramt",
        "owner_kind": "city",
        "status": "running",
        "starts_on": date(2024, 9, 1),
        "ends_on": date(2027, 12, 31),
        "contact_name": "Projektteam Onlinedienste",
        "contact_email": "onlinedienste@example.org",
        "public": True,
        "title": "Onlinedienste im Bürgeramt",
        "title_en": "Online services at the citizens' office",
        "summary": (
            "Schrittweise Einführung digitaler Anträge mit Online-Ausweis, Bezahlfunktion und direkter Übergabe "
            "an die Fachverfahren."
        ),
        "summary_en": (
            "Step-by-step introduction of digital applications with online ID, payment and direct hand-over to "
            "the specialist systems."
        ),
        "description": _paragraphs("""
            Das Projekt setzt die Maßnahme „Bürgerbüro online“ um. Die Leistungen werden in Paketen
            digitalisiert; die Reihenfolge richtet sich danach, wie häufig eine Leistung nachgefragt wird und wie
            aufwendig ihre Digitalisierung ist.

            Online sind bereits unter anderem die Meldebescheinigung, der Bewohnerparkausweis und die Anmeldung
            eines Hundes. In Arbeit sind die Wohnsitzanmeldung und die Gewerbeanmeldung.
        """),
        "description_en": _paragraphs("""
            This project implements the measure "Citizens' office online". Services are digitized in batches;
            the order depends on how often a service is requested and how much work its digitization involves.

            Services already online include the certificate of registration, the residents' parking permit and
            registering a dog. Registering an address and registering a business are in progress.
        """),
    },
    {
        "slug": "e-akte-pilot-personal",
        "field": "verwaltung",
        "owner_organisation": "Stadt Heilbronn, Personal- und Organisationsamt",
        "owner_kind": "city",
        "status": "completed",
        "starts_on": date(2023, 1, 16),
        "ends_on": date(2025, 6, 30),
        "contact_name": "Organisationsentwicklung",
        "contact_email": "organisation@example.org",
        "public": True,
        "title": "Pilotprojekt E-Akte im Personalbereich",
        "title_en": "Electronic file pilot in human resources",
        "summary": (
            "Die Personalakten wurden digitalisiert und die Abläufe von der Einstellung bis zur Elternzeit digital "
            "abgebildet; die Erfahrungen fließen in die E-Akte für alle Ämter ein."
        ),
        "summary_en": (
            "Personnel files were digitized and processes from hiring to parental leave were moved online; the "
            "lessons learned feed into the electronic file for all departments."
        ),
        "description": _paragraphs("""
            Im Pilotprojekt wurden Personalakten gescannt, in ein Dokumentenmanagementsystem übernommen und die
            Arbeitsabläufe digital abgebildet.

            Die Auswertung zeigte kürzere Bearbeitungszeiten und eine hohe Zufriedenheit der Beschäftigten, aber
            auch, wie wichtig frühe Schulungen und klare Ablagestrukturen sind. Diese Erfahrungen sind die
            Grundlage für die geplante Einführung in weiteren Ämtern.
        """),
        "description_en": _paragraphs("""
            In the pilot, personnel files were scanned and transferred to a document management system, and the
            workflows were mapped digitally.

            The evaluation showed shorter processing times and high staff satisfaction, but also how important
            early training and clear filing structures are. These lessons form the basis for the planned roll-out
            to further departments.
        """),
    },
    {
        "slug": "it-support-schulen",
        "field": "bildung",
        "owner_organisation": "Stadt Heilbronn, Schulverwaltungsamt",
        "owner_kind": "city",
        "status": "running",
        "starts_on": date(2024, 2, 1),
        "ends_on": date(2027, 7, 31),
        "contact_name": "Medienentwicklungsplanung",
        "contact_email": "schul-it@example.org",
        "public": True,
        "title": "Zentraler IT-Support für Schulen",
        "title_en": "Central IT support for schools",
        "summary": (
            "Ein städtisches Team betreut Netzwerke, Tablets und Präsentationstechnik an den Schulen und entlastet "
            "so die Lehrkräfte."
        ),
        "summary_en": (
            "A city team looks after networks, tablets and presentation equipment in schools, taking this work "
            "off teachers' hands."
        ),
        "description": _paragraphs("""
            Früher kümmerten sich an vielen Schulen Lehrkräfte neben dem Unterricht um die Technik. Ein zentrales
            Team der Stadt übernimmt nun Einrichtung, Wartung und Updates der Geräte, betreibt ein Ticketsystem
            für Störungen und ist an festen Tagen vor Ort.

            Das Projekt ist Teil der Maßnahme „Digitale Lernumgebung für alle Schulen“ und wird schrittweise auf
            alle städtischen Schulen ausgeweitet.
        """),
        "description_en": _paragraphs("""
            In many schools, teachers used to look after the technology on top of their teaching. A central city
            team now handles setting up, maintaining and updating devices, runs a ticket system for faults and is
            on site on fixed days.

            The project is part of the measure "A digital learning environment for all schools" and is being
            extended step by step to all municipal schools.
        """),
    },
    {
        "slug": "energiedatenmanagement",
        "field": "energie-umwelt",
        "owner_organisation": "Stadt Heilbronn, Gebäudemanagement",
        "owner_kind": "city",
        "status": "planned",
        "starts_on": date(2026, 5, 1),
        "ends_on": date(2028, 4, 30),
        "contact_name": "Energiemanagement",
        "contact_email": "energiemanagement@example.org",
        "public": True,
        "title": "Energiedatenmanagement für städtische Gebäude",
        "title_en": "Energy data management for municipal buildings",
        "summary": (
            "Ausschreibung und Einführung von Software und fernauslesbaren Zählern für zunächst 20 städtische Gebäude."
        ),
        "summary_en": (
            "Tendering and introducing software and remotely read meters for an initial 20 municipal buildings."
        ),
        "description": _paragraphs("""
            Das Projekt bereitet die Maßnahme „Energiemonitoring für städtische Gebäude“ vor: Es beschreibt die
            Anforderungen an Zähler und Software, bereitet die Ausschreibung vor und wählt die 20 Gebäude mit dem
            höchsten Verbrauch aus.

            Die Installation soll im Herbst 2026 beginnen. Die Hausmeisterinnen und Hausmeister der
            Pilotgebäude werden von Anfang an eingebunden.
        """),
        "description_en": _paragraphs("""
            This project prepares the measure "Energy monitoring for municipal buildings": it specifies the
            requirements for meters and software, prepares the tender and selects the 20 buildings with the
            highest consumption.

            Installation is due to start in fall 2026. The custodians of the pilot buildings are involved from
            the outset.
        """),
    },
    {
        "slug": "lorawan-pilotnetz",
        "field": "digitale-infrastruktur",
        "owner_organisation": "Stadt Heilbronn, Stabsstelle Digitalisierung",
        "owner_kind": "city",
        "status": "running",
        "starts_on": date(2025, 3, 1),
        "ends_on": date(2026, 12, 31),
        "contact_name": "Stabsstelle Digitalisierung",
        "contact_email": "digitalisierung@example.org",
        "public": True,
        "title": "LoRaWAN-Pilotnetz",
        "title_en": "LoRaWAN pilot network",
        "summary": (
            "Fünf Gateways auf städtischen Gebäuden bilden den Kern des künftigen Sensorfunknetzes und versorgen "
            "die Sensoren im Reallabor Neckarbogen."
        ),
        "summary_en": (
            "Five gateways on municipal buildings form the core of the future sensor radio network and serve the "
            "sensors in the Neckarbogen living lab."
        ),
        "description": _paragraphs("""
            Im Pilotnetz werden Reichweite, Zuverlässigkeit und Betriebsaufwand eines LoRaWAN-Netzes unter
            Heilbronner Bedingungen getestet. Angeschlossen sind Klimasensoren, Bodenfeuchtesensoren für
            Stadtbäume und Zähler im Reallabor Neckarbogen.

            Die Erfahrungen entscheiden darüber, wie das Netz auf das ganze Stadtgebiet ausgeweitet und ob es
            von der Stadt selbst oder gemeinsam mit einem Partner betrieben wird.
        """),
        "description_en": _paragraphs("""
            The pilot network tests the range, reliability and operating effort of a LoRaWAN network under
            Heilbronn's conditions. Climate sensors, soil moisture sensors for street trees and meters in the
            Neckarbogen living lab are connected.

            The experience gained will decide how the network is extended to the whole city and whether the city
            runs it itself or together with a partner.
        """),
    },
    {
        "slug": "rechenzentrum-georedundanz",
        "field": "verwaltung",
        "owner_organisation": "Stadt Heilbronn, Amt für Informationstechnik",
        "owner_kind": "city",
        "status": "running",
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2026, 12, 31),
        "contact_name": "IT-Betrieb",
        "contact_email": "it-betrieb@example.org",
        "public": False,
        "title": "Umzug der Fachverfahren in zwei getrennte Rechenzentren",
        "title_en": "Moving specialist applications to two separate data centers",
        "summary": (
            "Interne Infrastrukturmaßnahme: Server und Fachverfahren werden auf zwei räumlich getrennte "
            "Rechenzentren verteilt, um Ausfälle abzufangen."
        ),
        "summary_en": (
            "Internal infrastructure project: servers and specialist applications are spread over two physically "
            "separate data centers to withstand outages."
        ),
        "description": _paragraphs("""
            Um die Ausfallsicherheit zu erhöhen, werden die Server der Stadtverwaltung auf zwei räumlich getrennte
            Rechenzentren verteilt. Betroffen sind zahlreiche Fachverfahren vom Meldewesen bis zur Kasse.

            Das Projekt wird intern geführt, weil Zeitpläne und Details Rückschlüsse auf Wartungsfenster und die
            Sicherheitsarchitektur zulassen. Eine öffentliche Zusammenfassung folgt nach Abschluss.
        """),
        "description_en": _paragraphs("""
            To improve resilience, the city administration's servers are being spread over two physically
            separate data centers. Numerous specialist applications, from population registration to the
            treasury, are affected.

            The project is kept internal because schedules and details would reveal maintenance windows and the
            security architecture. A public summary will follow once it is completed.
        """),
    },
    {
        "slug": "informationssicherheit-grundschutz",
        "field": "verwaltung",
        "owner_organisation": "Stadt Heilbronn, Amt für Informationstechnik",
        "owner_kind": "city",
        "status": "planned",
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2027, 8, 31),
        "contact_name": "Informationssicherheitsbeauftragte",
        "contact_email": "informationssicherheit@example.org",
        "public": False,
        "title": "Informationssicherheit nach IT-Grundschutz",
        "title_en": "Information security based on the IT baseline protection standard",
        "summary": (
            "Interne Maßnahme: Überprüfung der Informationssicherheit in allen Ämtern und Aufbau eines "
            "Managementsystems für Informationssicherheit."
        ),
        "summary_en": (
            "Internal project: review of information security in all departments and set-up of an information "
            "security management system."
        ),
        "description": _paragraphs("""
            Die Stadt baut ein Managementsystem für Informationssicherheit nach dem IT-Grundschutz des
            Bundesamts für Sicherheit in der Informationstechnik auf. Dazu werden Schutzbedarfe ermittelt,
            Risiken bewertet und Notfallpläne erarbeitet.

            Einzelheiten bleiben intern, da sie Schwachstellen offenlegen könnten. Der zuständige Ausschuss des
            Gemeinderats wird in nichtöffentlicher Sitzung unterrichtet.
        """),
        "description_en": _paragraphs("""
            The city is setting up an information security management system based on the IT baseline protection
            standard of the Federal Office for Information Security. This involves determining protection needs,
            assessing risks and drawing up emergency plans.

            Details remain internal because they could reveal vulnerabilities. The responsible city council
            committee is briefed in a closed session.
        """),
    },
    {
        "slug": "smart-meter-quartierspeicher",
        "field": "energie-umwelt",
        "owner_organisation": "Neckarwerk Energie GmbH",
        "owner_kind": "company",
        "status": "running",
        "starts_on": date(2024, 6, 1),
        "ends_on": date(2027, 5, 31),
        "contact_name": "Projektbüro Neckarbogen",
        "contact_email": "neckarwerk-projekte@example.org",
        "public": True,
        "title": "Intelligente Zähler und Quartierspeicher im Neckarbogen",
        "title_en": "Smart meters and neighborhood battery storage in the Neckarbogen",
        "summary": (
            "Ein Energieversorger stattet Wohnungen mit intelligenten Messsystemen aus und testet einen "
            "Batteriespeicher, der Solarstrom im Quartier hält."
        ),
        "summary_en": (
            "An energy supplier equips homes with smart metering systems and tests a battery storage unit that "
            "keeps solar power in the neighborhood."
        ),
        "description": _paragraphs("""
            Der Versorger hat im Neckarbogen mehrere hundert Wohnungen mit intelligenten Messsystemen
            ausgestattet. Ein Quartierspeicher nimmt mittags überschüssigen Solarstrom von den Dächern auf und
            gibt ihn abends wieder ab.

            Bewohnerinnen und Bewohner sehen ihren Verbrauch in einer App und erhalten Hinweise, wann Strom
            besonders günstig und klimafreundlich ist. Die Teilnahme ist freiwillig. Das Projekt gehört zum
            Reallabor Neckarbogen.
        """),
        "description_en": _paragraphs("""
            The supplier has equipped several hundred homes in the Neckarbogen with smart metering systems. A
            neighborhood battery stores surplus solar power from the roofs at midday and releases it in the
            evening.

            Residents see their consumption in an app and get tips on when electricity is particularly cheap and
            climate-friendly. Taking part is voluntary. The project is part of the Neckarbogen living lab.
        """),
    },
    {
        "slug": "mikrodepot-lastenraeder",
        "field": "mobilitaet",
        "owner_organisation": "Unterland Cargo GmbH",
        "owner_kind": "company",
        "status": "running",
        "starts_on": date(2025, 5, 1),
        "ends_on": date(2026, 10, 31),
        "contact_name": "Leitung City-Logistik",
        "contact_email": "citylogistik@example.org",
        "public": True,
        "title": "Mikrodepot und Lastenräder für die Paketzustellung",
        "title_en": "Micro-depot and cargo bikes for parcel delivery",
        "summary": (
            "Pakete werden am Innenstadtrand in einem Mikrodepot gesammelt und von dort mit Lastenrädern "
            "emissionsfrei zugestellt."
        ),
        "summary_en": (
            "Parcels are collected at a micro-depot on the edge of the city center and delivered from there by "
            "cargo bike without emissions."
        ),
        "description": _paragraphs("""
            Ein regionaler Logistikdienstleister betreibt am Rand der Innenstadt ein Mikrodepot in umgebauten
            Containern. Mehrere Paketdienste liefern ihre Sendungen morgens gebündelt an; die letzte Meile
            übernehmen Lastenräder.

            Im Reallabor Innenstadt wird gemessen, wie viele Fahrten mit Transportern entfallen und wie sich die
            Lage an den Ladezonen verändert.
        """),
        "description_en": _paragraphs("""
            A regional logistics company runs a micro-depot in converted containers on the edge of the city
            center. Several parcel services deliver their consignments there in bulk in the morning; cargo bikes
            cover the last mile.

            The city center living lab measures how many van trips are avoided and how the situation at the
            loading zones changes.
        """),
    },
    {
        "slug": "parksensoren-innenstadt",
        "field": "mobilitaet",
        "owner_organisation": "ParkPilot Neckar GmbH",
        "owner_kind": "company",
        "status": "planned",
        "starts_on": date(2026, 4, 1),
        "ends_on": date(2027, 3, 31),
        "contact_name": "Projektleitung Heilbronn",
        "contact_email": "parkpilot@example.org",
        "public": True,
        "title": "Parkplatzsensoren in der Innenstadt",
        "title_en": "Parking sensors in the city center",
        "summary": (
            "Bodensensoren erfassen die Belegung von 300 Stellplätzen am Straßenrand; freie Plätze erscheinen in "
            "Echtzeit in Apps und auf Anzeigetafeln."
        ),
        "summary_en": (
            "Ground sensors record the occupancy of 300 on-street parking spaces; free spaces appear in real time "
            "in apps and on display boards."
        ),
        "description": _paragraphs("""
            Ein junges Unternehmen installiert in Abstimmung mit der Stadt Bodensensoren in Parkbuchten der
            Innenstadt. Die Sensoren erkennen nur, ob ein Platz belegt ist – Kennzeichen oder Bilder werden nicht
            erfasst.

            Die Daten werden über das LoRaWAN-Netz übertragen und fließen in das Parkleitsystem ein. Der Test im
            Reallabor Innenstadt soll zeigen, ob der Parksuchverkehr spürbar abnimmt.
        """),
        "description_en": _paragraphs("""
            A young company, in agreement with the city, is installing ground sensors in on-street parking bays
            in the city center. The sensors only detect whether a space is occupied – no number plates or images
            are recorded.

            The data is transmitted over the LoRaWAN network and fed into the parking guidance system. The trial
            in the city center living lab is meant to show whether traffic searching for parking decreases
            noticeably.
        """),
    },
    {
        "slug": "videosprechstunde-praxisnetz",
        "field": "gesundheit-pflege",
        "owner_organisation": "Praxisnetz Unterland eG",
        "owner_kind": "company",
        "status": "running",
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2026, 12, 31),
        "contact_name": "Geschäftsstelle",
        "contact_email": "praxisnetz@example.org",
        "public": True,
        "title": "Online-Terminbuchung und Videosprechstunde in Hausarztpraxen",
        "title_en": "Online booking and video consultations in Doctors' offices",
        "summary": (
            "Ein Zusammenschluss von Hausarztpraxen führt eine gemeinsame Terminbuchung und Videosprechstunden "
            "für Folgetermine ein."
        ),
        "summary_en": (
            "A group of Doctors' offices is introducing shared appointment booking and video consultations for "
            "follow-up appointments."
        ),
        "description": _paragraphs("""
            Rund 30 Praxen eines regionalen Praxisnetzes bieten eine gemeinsame Online-Terminbuchung an. Für
            Folgetermine, Befundbesprechungen und Rezeptverlängerungen stehen Videosprechstunden zur Verfügung.

            Die Erfahrungen des Praxisnetzes fließen in die Maßnahme „Telemedizinische Sprechstunden in den
            Stadtteilen“ ein.
        """),
        "description_en": _paragraphs("""
            Around 30 practices in a regional network offer shared online appointment booking. Video
            consultations are available for follow-up appointments, discussing test results and repeat
            prescriptions.

            The network's experience feeds into the measure "Telemedicine consultations in the districts".
        """),
    },
    {
        "slug": "ki-lernwerkstatt",
        "field": "bildung",
        "owner_organisation": "Lernfabrik Neckar gGmbH",
        "owner_kind": "company",
        "status": "completed",
        "starts_on": date(2024, 3, 1),
        "ends_on": date(2025, 7, 31),
        "contact_name": "Bildungsprogramme",
        "contact_email": "lernwerkstatt@example.org",
        "public": True,
        "title": "KI-Lernwerkstatt für Schulklassen",
        "title_en": "AI learning workshop for school classes",
        "summary": (
            "Eine gemeinnützige Bildungseinrichtung auf dem Bildungscampus bot Schulklassen Projekttage zu "
            "Künstlicher Intelligenz an."
        ),
        "summary_en": (
            "A non-profit education provider at the Bildungscampus offered school classes project days on "
            "artificial intelligence."
        ),
        "description": _paragraphs("""
            An Projekttagen lernten Schülerinnen und Schüler der Klassen 8 bis 10, wie Künstliche Intelligenz
            funktioniert, trainierten einfache Bilderkennungsmodelle und diskutierten über Chancen und Risiken.

            Über 120 Klassen aus Heilbronn und der Region nahmen teil. Die Unterrichtsmaterialien stehen
            Lehrkräften unter einer offenen Lizenz zur Verfügung.
        """),
        "description_en": _paragraphs("""
            On project days, students in grades 8 to 10 learned how artificial intelligence works, trained simple
            image recognition models and discussed opportunities and risks.

            More than 120 classes from Heilbronn and the region took part. The teaching materials are available
            to teachers under an open license.
        """),
    },
    {
        "slug": "klimasensoren-wohnquartier",
        "field": "energie-umwelt",
        "owner_organisation": "Neckarbogen Wohnen eG",
        "owner_kind": "company",
        "status": "running",
        "starts_on": date(2025, 9, 1),
        "ends_on": date(2027, 8, 31),
        "contact_name": "Technische Verwaltung",
        "contact_email": "neckarbogen-wohnen@example.org",
        "public": True,
        "title": "Raumklima und Bodenfeuchte im Wohnquartier messen",
        "title_en": "Measuring indoor climate and soil moisture in a residential quarter",
        "summary": (
            "Eine Wohnungsgenossenschaft misst Temperatur und Luftfeuchte in Treppenhäusern und die Bodenfeuchte "
            "in den Innenhöfen, um Gebäude und Grün klimafest zu betreiben."
        ),
        "summary_en": (
            "A housing cooperative measures temperature and humidity in stairwells and soil moisture in the "
            "courtyards to run its buildings and green spaces in a climate-resilient way."
        ),
        "description": _paragraphs("""
            Sensoren in Treppenhäusern, Tiefgaragen und Innenhöfen zeigen, wie sich die Gebäude im Sommer
            aufheizen und wann die Bäume in den Höfen Wasser brauchen. Die Bewässerung richtet sich danach statt
            nach einem festen Plan.

            Die Genossenschaft teilt anonymisierte Messwerte mit dem Messnetz Stadtklima. Das Projekt gehört zum
            Reallabor Neckarbogen.
        """),
        "description_en": _paragraphs("""
            Sensors in stairwells, underground parking garages and courtyards show how the buildings heat up in summer
            and when the courtyard trees need water. Watering follows these readings instead of a fixed schedule.

            The cooperative shares anonymized readings with the urban climate network. The project is part of the
            Neckarbogen living lab.
        """),
    },
    {
        "slug": "it-sicherheitscheck-handwerk",
        "field": "wirtschaft-arbeit",
        "owner_organisation": "Schutzwall IT-Dienste GmbH",
        "owner_kind": "company",
        "status": "planned",
        "starts_on": date(2026, 10, 1),
        "ends_on": date(2027, 9, 30),
        "contact_name": "Team Mittelstand",
        "contact_email": "sicherheitscheck@example.org",
        "public": True,
        "title": "IT-Sicherheitscheck für Handwerksbetriebe",
        "title_en": "IT security check for craft businesses",
        "summary": (
            "Ein IT-Dienstleister bietet kleinen Betrieben einen kostengünstigen Sicherheitscheck mit "
            "verständlichem Maßnahmenplan an."
        ),
        "summary_en": (
            "An IT service provider offers small businesses a low-cost security check with an easy-to-understand "
            "action plan."
        ),
        "description": _paragraphs("""
            Viele Handwerksbetriebe arbeiten mit Laptops, Smartphones und Cloud-Diensten, ohne dass sich jemand
            gezielt um die IT-Sicherheit kümmert. Ein Angriff mit Verschlüsselungssoftware kann einen kleinen
            Betrieb tagelang lahmlegen.

            Der Sicherheitscheck prüft in einem halben Tag vor Ort Datensicherung, Passwörter, Updates und
            Zugänge und endet mit einem Maßnahmenplan in verständlicher Sprache. Das Angebot soll mit der
            geplanten Anlaufstelle Digitalisierung verknüpft werden.
        """),
        "description_en": _paragraphs("""
            Many craft businesses use laptops, smartphones and cloud services without anyone specifically looking
            after IT security. A ransomware attack can paralyze a small business for days.

            In half a day on site, the security check reviews backups, passwords, updates and access rights and
            ends with an action plan in plain language. The service is to be linked to the planned digitalization
            help desk.
        """),
    },
]

# Living labs. Coordinates are [latitude, longitude] in WGS 84.
LABS = [
    {
        "slug": "reallabor-neckarbogen",
        "title": "Reallabor Neckarbogen: Energie und Sensorik im Quartier",
        "title_en": "Neckarbogen living lab: energy and sensors in the neighborhood",
        "summary": (
            "Im Stadtquartier der Bundesgartenschau 2019 werden intelligente Zähler, ein Quartierspeicher, "
            "Klimasensoren und ein Funknetz für das Internet der Dinge erprobt."
        ),
        "summary_en": (
            "In the district built for the 2019 Federal Garden Show, smart meters, a neighborhood battery, "
            "climate sensors and a radio network for the Internet of Things are being tested."
        ),
        "area_description": _paragraphs("""
            Der Neckarbogen liegt nördlich des Hauptbahnhofs am Neckar, in direkter Nachbarschaft zur
            Experimenta. Das Reallabor umfasst das neue Wohn- und Arbeitsquartier mit seinen Innenhöfen, die
            Uferpromenaden und die angrenzenden Grünflächen.
        """),
        "area_description_en": _paragraphs("""
            The Neckarbogen lies north of the main railway station on the Neckar, right next to the Experimenta.
            The living lab covers the new residential and business quarter with its courtyards, the riverside
            promenades and the adjoining green spaces.
        """),
        "description": _paragraphs("""
            Der Neckarbogen wurde als Stadtquartier der Bundesgartenschau 2019 neu gebaut und eignet sich deshalb
            besonders gut, um neue Technik in einem bewohnten Quartier zu erproben: Die Gebäude sind modern, die
            Wege kurz, und viele Bewohnerinnen und Bewohner sind neugierig auf Neues.

            Erprobt werden intelligente Stromzähler und ein Quartierspeicher für Solarstrom, Sensoren für
            Temperatur, Luftfeuchte und die Bodenfeuchte von Stadtbäumen sowie das LoRaWAN-Pilotnetz, über das
            alle Sensoren ihre Werte senden. Die Messwerte laufen auf der urbanen Datenplattform zusammen.

            Alle Beteiligten verpflichten sich, keine personenbezogenen Daten ohne Einwilligung zu erheben. Die
            Ergebnisse werden halbjährlich veröffentlicht und in einer Quartiersversammlung vorgestellt.
        """),
        "description_en": _paragraphs("""
            The Neckarbogen was built as a new district for the 2019 Federal Garden Show, which makes it
            particularly suitable for testing new technology in a lived-in neighborhood: the buildings are
            modern, distances are short and many residents are curious about new things.

            Smart electricity meters and a neighborhood battery for solar power are being tested, as well as
            sensors for temperature, humidity and the soil moisture of street trees, and the LoRaWAN pilot
            network through which all sensors send their readings. The readings come together on the urban data
            platform.

            All partners undertake not to collect personal data without consent. Results are published every six
            months and presented at a neighborhood meeting.
        """),
        "latitude": Decimal("49.14950"),
        "longitude": Decimal("9.20950"),
        "boundary": [
            [49.1522, 9.2068],
            [49.1526, 9.2118],
            [49.1494, 9.2132],
            [49.1468, 9.2102],
            [49.1476, 9.2062],
        ],
        "published": True,
        "projects": ["smart-meter-quartierspeicher", "lorawan-pilotnetz", "klimasensoren-wohnquartier"],
    },
    {
        "slug": "reallabor-innenstadt",
        "title": "Reallabor Innenstadt: Parken und Lieferverkehr",
        "title_en": "City center living lab: parking and deliveries",
        "summary": (
            "In der Innenstadt werden Parkplatzsensoren, digital buchbare Ladezonen, Lastenrad-Logistik und eine "
            "adaptive Ampelsteuerung unter Alltagsbedingungen getestet."
        ),
        "summary_en": (
            "In the city center, parking sensors, digitally bookable loading zones, cargo bike logistics and "
            "adaptive traffic light control are being tested under everyday conditions."
        ),
        "area_description": _paragraphs("""
            Das Gebiet umfasst die Innenstadt östlich des Neckars rund um Marktplatz, Kilianskirche und
            Fußgängerzone sowie die angrenzenden Abschnitte der Allee und der Zufahrtsstraßen mit ihren
            Parkhäusern.
        """),
        "area_description_en": _paragraphs("""
            The area covers the city center east of the Neckar around the Marktplatz, St Kilian's Church and the
            pedestrian zone, together with the adjoining sections of the Allee and the access roads with their
            parking garages.
        """),
        "description": _paragraphs("""
            In der Innenstadt treffen Fußgängerinnen und Fußgänger, Radverkehr, Busse, Lieferfahrzeuge und die
            Suche nach Parkplätzen auf engem Raum aufeinander. Hier zeigt sich am schnellsten, ob digitale
            Lösungen den Alltag tatsächlich verbessern.

            Getestet werden Bodensensoren für Stellplätze am Straßenrand, die ersten adaptiv gesteuerten Ampeln
            des neuen Verkehrsrechners und ein Mikrodepot, von dem aus Pakete mit Lastenrädern zugestellt werden.
            Später sollen digital buchbare Ladezonen hinzukommen.

            Gemessen werden Parksuchverkehr, Wartezeiten an Kreuzungen, Lieferfahrten und die Zufriedenheit von
            Handel und Besucherinnen und Besuchern. Sensoren erfassen keine Bilder und keine Kennzeichen.
        """),
        "description_en": _paragraphs("""
            In the city center, pedestrians, cyclists, buses, delivery vehicles and drivers looking for parking
            meet in a confined space. This is where it becomes clear fastest whether digital solutions really
            improve everyday life.

            Ground sensors for on-street parking spaces, the first adaptively controlled traffic lights of the new
            traffic control computer and a micro-depot from which parcels are delivered by cargo bike are being
            tested. Digitally bookable loading zones are to follow later.

            The lab measures traffic searching for parking, waiting times at junctions, delivery trips and the
            satisfaction of retailers and visitors. Sensors record no images and no number plates.
        """),
        "latitude": Decimal("49.14180"),
        "longitude": Decimal("9.21980"),
        "boundary": [
            [49.1450, 9.2160],
            [49.1452, 9.2235],
            [49.1405, 9.2255],
            [49.1385, 9.2200],
            [49.1402, 9.2158],
        ],
        "published": True,
        "projects": ["verkehrsrechner-lichtsignalanlagen", "mikrodepot-lastenraeder", "parksensoren-innenstadt"],
    },
]

# Feedback of the demo citizen, by measure slug.
FEEDBACK = [
    {
        "measure": "intelligentes-verkehrsmanagement",
        "text": (
            "Bitte bei der Ampelschaltung auch an Fußgängerinnen und Fußgänger denken. An der Allee wartet man "
            "zu Fuß oft sehr lange, während die Autos mehrere Grünphasen hintereinander bekommen."
        ),
    },
    {
        "measure": "schulwegradar",
        "text": (
            "Gute Idee! Vor der Grundschule in unserem Stadtteil parken morgens viele Eltern auf dem Gehweg. "
            "Wichtig wäre, dass man nach einer Meldung auch erfährt, was daraus geworden ist."
        ),
    },
    {
        "measure": "digitallotsen",
        "text": (
            "Meine Mutter ist 81 und würde das sofort nutzen. Bitte auch Termine am Nachmittag anbieten und nicht "
            "nur in der Innenstadt, sondern auch in den Stadtteilen."
        ),
    },
    {
        "measure": "urbane-datenplattform",
        "text": (
            "Welche Daten werden auf der Plattform gespeichert, und wer darf sie sehen? Ich fände es gut, wenn "
            "das vorab öffentlich und verständlich erklärt wird."
        ),
    },
]
