"""Word lists for `ponti seed-scale`: real places, plausible names, no network.

The underscore keeps Django from taking this module for a command. Cities are real, with
approximate coordinates (two decimals); people's names are common names of each language
group, with their accents, so that accent-insensitive search is exercised at scale.
"""

from __future__ import annotations

# country → [(city as written locally, latitude, longitude, name in the local script or None)]
CITIES: dict[str, list[tuple[str, float, float, str | None]]] = {
    "IT": [
        ("Firenze", 43.77, 11.25, None), ("Roma", 41.90, 12.50, None), ("Milano", 45.46, 9.19, None),
        ("Napoli", 40.85, 14.27, None), ("Torino", 45.07, 7.69, None), ("Bologna", 44.49, 11.34, None),
        ("Venezia", 45.44, 12.32, None), ("Genova", 44.41, 8.93, None), ("Palermo", 38.12, 13.36, None),
        ("Bari", 41.12, 16.87, None), ("Prato", 43.88, 11.10, None), ("Pisa", 43.72, 10.40, None),
        ("Siena", 43.32, 11.33, None), ("Forlì", 44.22, 12.04, None), ("Cantù", 45.74, 9.13, None),
        ("Città di Castello", 43.46, 12.24, None), ("Empoli", 43.72, 10.95, None),
        ("Fiesole", 43.81, 11.29, None), ("Borgo San Lorenzo", 43.96, 11.39, None),
    ],
    "FR": [
        ("Paris", 48.86, 2.35, None), ("Lyon", 45.76, 4.84, None), ("Marseille", 43.30, 5.37, None),
        ("Reims", 49.26, 4.03, None), ("Nîmes", 43.84, 4.36, None), ("Besançon", 47.24, 6.02, None),
        ("Orléans", 47.90, 1.91, None), ("Nice", 43.70, 7.27, None), ("Saint-Étienne", 45.44, 4.39, None),
        ("Bordeaux", 44.84, -0.58, None), ("Angoulême", 45.65, 0.16, None),
    ],
    "DE": [
        ("Berlin", 52.52, 13.40, None), ("München", 48.14, 11.58, None), ("Köln", 50.94, 6.96, None),
        ("Düsseldorf", 51.23, 6.77, None), ("Nürnberg", 49.45, 11.08, None), ("Kassel", 51.31, 9.48, None),
        ("Frankfurt am Main", 50.11, 8.68, None), ("Lübeck", 53.87, 10.69, None),
        ("Göttingen", 51.54, 9.93, None), ("Darmstadt", 49.87, 8.65, None),
    ],
    "ES": [
        ("Madrid", 40.42, -3.70, None), ("Barcelona", 41.39, 2.17, None), ("Sevilla", 37.39, -5.98, None),
        ("València", 39.47, -0.38, None), ("Córdoba", 37.88, -4.78, None), ("Málaga", 36.72, -4.42, None),
        ("A Coruña", 43.36, -8.41, None), ("Cádiz", 36.53, -6.29, None), ("León", 42.60, -5.57, None),
    ],
    "PT": [
        ("Lisboa", 38.72, -9.14, None), ("Porto", 41.15, -8.61, None), ("Coimbra", 40.21, -8.43, None),
        ("Évora", 38.57, -7.91, None), ("Braga", 41.55, -8.42, None),
    ],
    "GB": [
        ("London", 51.51, -0.13, None), ("Edinburgh", 55.95, -3.19, None), ("Manchester", 53.48, -2.24, None),
        ("Oxford", 51.75, -1.26, None), ("Cambridge", 52.21, 0.12, None), ("Cardiff", 51.48, -3.18, None),
        ("Glasgow", 55.86, -4.25, None),
    ],
    "IE": [("Dublin", 53.35, -6.26, None), ("Cork", 51.90, -8.47, None), ("Galway", 53.27, -9.05, None)],
    "NL": [
        ("Amsterdam", 52.37, 4.90, None), ("Rotterdam", 51.92, 4.48, None), ("Utrecht", 52.09, 5.12, None),
        ("Den Haag", 52.08, 4.30, None), ("Eindhoven", 51.44, 5.47, None),
    ],
    "BE": [
        ("Bruxelles", 50.85, 4.35, None), ("Antwerpen", 51.22, 4.40, None), ("Gent", 51.05, 3.72, None),
        ("Liège", 50.63, 5.57, None), ("Leuven", 50.88, 4.70, None),
    ],
    "CH": [
        ("Zürich", 47.38, 8.54, None), ("Genève", 46.20, 6.14, None), ("Bern", 46.95, 7.45, None),
        ("Basel", 47.56, 7.59, None), ("Lausanne", 46.52, 6.63, None),
    ],
    "AT": [
        ("Wien", 48.21, 16.37, None), ("Graz", 47.07, 15.44, None), ("Linz", 48.31, 14.29, None),
        ("Salzburg", 47.81, 13.04, None), ("Innsbruck", 47.27, 11.40, None),
    ],
    "PL": [
        ("Warszawa", 52.23, 21.01, None), ("Kraków", 50.06, 19.94, None), ("Łódź", 51.76, 19.46, None),
        ("Wrocław", 51.11, 17.04, None), ("Poznań", 52.41, 16.93, None), ("Gdańsk", 54.35, 18.65, None),
    ],
    "CZ": [
        ("Praha", 50.08, 14.44, None), ("Brno", 49.20, 16.61, None), ("Ostrava", 49.82, 18.26, None),
        ("Plzeň", 49.75, 13.38, None),
    ],
    "HU": [
        ("Budapest", 47.50, 19.04, None), ("Debrecen", 47.53, 21.63, None), ("Szeged", 46.25, 20.15, None),
        ("Pécs", 46.07, 18.23, None),
    ],
    "RO": [
        ("București", 44.43, 26.10, None), ("Cluj-Napoca", 46.77, 23.59, None),
        ("Timișoara", 45.75, 21.23, None), ("Iași", 47.16, 27.59, None),
    ],
    "GR": [
        ("Athína", 37.98, 23.73, "Αθήνα"), ("Thessaloníki", 40.64, 22.94, "Θεσσαλονίκη"),
        ("Pátra", 38.25, 21.73, "Πάτρα"), ("Irákleio", 35.34, 25.13, "Ηράκλειο"),
    ],
    "HR": [
        ("Zagreb", 45.81, 15.98, None), ("Split", 43.51, 16.44, None), ("Rijeka", 45.33, 14.44, None),
        ("Dubrovnik", 42.65, 18.09, None),
    ],
    "SI": [("Ljubljana", 46.06, 14.51, None), ("Maribor", 46.55, 15.65, None), ("Koper", 45.55, 13.73, None)],
    "SE": [
        ("Stockholm", 59.33, 18.07, None), ("Göteborg", 57.71, 11.97, None), ("Malmö", 55.60, 13.00, None),
        ("Uppsala", 59.86, 17.64, None),
    ],
    "NO": [
        ("Oslo", 59.91, 10.75, None), ("Bergen", 60.39, 5.32, None), ("Trondheim", 63.43, 10.39, None),
        ("Tromsø", 69.65, 18.96, None),
    ],
    "DK": [
        ("København", 55.68, 12.57, None), ("Aarhus", 56.16, 10.20, None), ("Odense", 55.40, 10.39, None),
        ("Aalborg", 57.05, 9.92, None),
    ],
    "FI": [
        ("Helsinki", 60.17, 24.94, None), ("Tampere", 61.50, 23.76, None), ("Turku", 60.45, 22.27, None),
        ("Oulu", 65.01, 25.47, None),
    ],
    "IS": [("Reykjavík", 64.15, -21.94, None), ("Akureyri", 65.68, -18.09, None)],
    "TR": [
        ("İstanbul", 41.01, 28.98, None), ("Ankara", 39.93, 32.86, None), ("İzmir", 38.42, 27.14, None),
        ("Bursa", 40.19, 29.06, None), ("Eskişehir", 39.78, 30.52, None),
    ],
    "RU": [
        ("Moskva", 55.76, 37.62, "Москва"), ("Sankt-Peterburg", 59.93, 30.34, "Санкт-Петербург"),
        ("Kazan'", 55.79, 49.12, "Казань"),
    ],
    "UA": [
        ("Kyiv", 50.45, 30.52, "Київ"), ("Lviv", 49.84, 24.03, "Львів"), ("Odesa", 46.48, 30.72, "Одеса"),
        ("Kharkiv", 49.99, 36.23, "Харків"),
    ],
    "US": [
        ("New York", 40.71, -74.01, None), ("Philadelphia", 39.95, -75.17, None),
        ("Chicago", 41.88, -87.63, None), ("San Francisco", 37.77, -122.42, None),
        ("Los Angeles", 34.05, -118.24, None), ("Boston", 42.36, -71.06, None),
        ("Washington", 38.91, -77.04, None), ("Atlanta", 33.75, -84.39, None),
        ("San José", 37.34, -121.89, None),
    ],
    "CA": [
        ("Toronto", 43.65, -79.38, None), ("Montréal", 45.50, -73.57, None), ("Québec", 46.81, -71.21, None),
        ("Vancouver", 49.28, -123.12, None), ("Ottawa", 45.42, -75.70, None),
    ],
    "MX": [
        ("Ciudad de México", 19.43, -99.13, None), ("Guadalajara", 20.67, -103.35, None),
        ("Monterrey", 25.69, -100.32, None), ("Mérida", 20.97, -89.62, None),
        ("Querétaro", 20.59, -100.39, None),
    ],
    "BR": [
        ("São Paulo", -23.55, -46.63, None), ("Rio de Janeiro", -22.91, -43.17, None),
        ("Brasília", -15.79, -47.88, None), ("Belo Horizonte", -19.92, -43.94, None),
        ("Florianópolis", -27.60, -48.55, None), ("Curitiba", -25.43, -49.27, None),
    ],
    "AR": [
        ("Buenos Aires", -34.60, -58.38, None), ("Córdoba", -31.42, -64.18, None),
        ("Rosario", -32.94, -60.64, None), ("Mendoza", -32.89, -68.84, None),
    ],
    "CL": [
        ("Santiago", -33.45, -70.67, None), ("Valparaíso", -33.05, -71.62, None),
        ("Concepción", -36.83, -73.05, None),
    ],
    "CO": [
        ("Bogotá", 4.71, -74.07, None), ("Medellín", 6.24, -75.58, None), ("Cali", 3.45, -76.53, None),
        ("Cartagena", 10.39, -75.48, None),
    ],
    "PE": [("Lima", -12.05, -77.04, None), ("Cusco", -13.53, -71.97, None), ("Arequipa", -16.41, -71.54, None)],
    "CU": [("La Habana", 23.11, -82.37, None), ("Santiago de Cuba", 20.02, -75.82, None)],
    "JP": [
        ("Tōkyō", 35.68, 139.69, "東京"), ("Kyōto", 35.01, 135.77, "京都"), ("Ōsaka", 34.69, 135.50, "大阪"),
        ("Fukuoka", 33.59, 130.40, "福岡"), ("Kanazawa", 36.56, 136.66, "金沢"),
        ("Sapporo", 43.06, 141.35, "札幌"),
    ],
    "CN": [
        ("Beijing", 39.90, 116.41, "北京"), ("Shanghai", 31.23, 121.47, "上海"),
        ("Nanjing", 32.06, 118.80, "南京"), ("Chengdu", 30.57, 104.07, "成都"),
        ("Hangzhou", 30.27, 120.16, "杭州"), ("Xi'an", 34.34, 108.94, "西安"),
    ],
    "KR": [
        ("Seoul", 37.57, 126.98, "서울"), ("Busan", 35.18, 129.08, "부산"), ("Daegu", 35.87, 128.60, "대구"),
        ("Gwangju", 35.16, 126.85, "광주"),
    ],
    "IN": [
        ("New Delhi", 28.61, 77.21, None), ("Mumbai", 19.08, 72.88, None), ("Bengaluru", 12.97, 77.59, None),
        ("Kolkata", 22.57, 88.36, None), ("Chennai", 13.08, 80.27, None),
    ],
    "IL": [("Tel Aviv-Yafo", 32.09, 34.78, None), ("Haifa", 32.79, 34.99, None), ("Be'er Sheva", 31.25, 34.79, None)],
    "PS": [("Bayt Laḥm", 31.70, 35.20, "بيت لحم"), ("Rām Allāh", 31.90, 35.20, "رام الله")],
    "EG": [
        ("Al-Qāhira", 30.04, 31.24, "القاهرة"), ("Al-Iskandariyya", 31.20, 29.92, "الإسكندرية"),
        ("Al-Uqṣur", 25.69, 32.64, "الأقصر"),
    ],
    "MA": [
        ("Fès", 34.03, -5.00, "فاس"), ("Rabat", 34.02, -6.83, "الرباط"), ("Marrakech", 31.63, -8.01, "مراكش"),
        ("Casablanca", 33.57, -7.59, "الدار البيضاء"), ("Tanger", 35.76, -5.83, "طنجة"),
    ],
    "TN": [("Tunis", 36.81, 10.18, "تونس"), ("Sfax", 34.74, 10.76, "صفاقس"), ("Sousse", 35.83, 10.64, "سوسة")],
    "LB": [("Bayrūt", 33.89, 35.50, "بيروت"), ("Ṭarābulus", 34.44, 35.83, "طرابلس")],
    "SN": [("Dakar", 14.72, -17.47, None), ("Saint-Louis", 16.02, -16.49, None), ("Thiès", 14.79, -16.93, None)],
    "ZA": [
        ("Johannesburg", -26.20, 28.05, None), ("Cape Town", -33.92, 18.42, None),
        ("Durban", -29.86, 31.02, None), ("Pretoria", -25.75, 28.19, None),
    ],
    "KE": [("Nairobi", -1.29, 36.82, None), ("Mombasa", -4.04, 39.67, None)],
    "ET": [("Addis Abeba", 9.03, 38.74, None), ("Bahir Dar", 11.59, 37.39, None)],
    "NG": [("Lagos", 6.52, 3.38, None), ("Abuja", 9.08, 7.40, None)],
    "AU": [
        ("Sydney", -33.87, 151.21, None), ("Melbourne", -37.81, 144.96, None),
        ("Brisbane", -27.47, 153.03, None), ("Perth", -31.95, 115.86, None),
        ("Adelaide", -34.93, 138.60, None),
    ],
    "NZ": [("Auckland", -36.85, 174.76, None), ("Wellington", -41.29, 174.78, None), ("Christchurch", -43.53, 172.64, None)],
    "VN": [
        ("Hà Nội", 21.03, 105.85, None), ("Thành phố Hồ Chí Minh", 10.82, 106.63, None),
        ("Huế", 16.46, 107.59, None), ("Đà Nẵng", 16.05, 108.22, None),
    ],
    "AL": [("Tiranë", 41.33, 19.82, None), ("Durrës", 41.32, 19.45, None), ("Shkodër", 42.07, 19.51, None)],
    "RS": [("Beograd", 44.79, 20.45, "Београд"), ("Novi Sad", 45.27, 19.83, "Нови Сад"), ("Niš", 43.32, 21.90, "Ниш")],
    "BA": [("Sarajevo", 43.86, 18.41, None), ("Mostar", 43.34, 17.81, None), ("Banja Luka", 44.77, 17.19, None)],
    "XK": [("Prishtinë", 42.66, 21.17, None), ("Prizren", 42.21, 20.74, None)],
}

# country → language group of people's names and of local-language organisation names
LANGUAGE_OF: dict[str, str] = {
    "IT": "it", "SM": "it", "VA": "it",
    "FR": "fr", "BE": "fr", "SN": "fr", "MA": "fr", "TN": "fr", "LB": "fr", "CA": "fr",
    "DE": "de", "AT": "de", "CH": "de",
    "ES": "es", "MX": "es", "AR": "es", "CL": "es", "CO": "es", "PE": "es", "CU": "es",
    "PT": "pt", "BR": "pt",
    "GB": "en", "IE": "en", "US": "en", "AU": "en", "NZ": "en", "ZA": "en", "KE": "en", "NG": "en",
    "IN": "en", "ET": "en", "IL": "en",
    "NL": "nl",
    "PL": "pl", "CZ": "cs", "HU": "hu", "RO": "ro",
    "SE": "nordic", "NO": "nordic", "DK": "nordic", "FI": "nordic", "IS": "nordic",
    "GR": "el", "TR": "tr", "RU": "ru", "UA": "ru",
    "HR": "sh", "SI": "sh", "RS": "sh", "BA": "sh", "AL": "sq", "XK": "sq",
    "JP": "ja", "CN": "zh", "KR": "ko", "VN": "vi",
    "EG": "ar", "PS": "ar",
}

FIRST_NAMES: dict[str, list[str]] = {
    "it": ["Giulia", "Marco", "Niccolò", "Chiara", "Lorenzo", "Beatrice", "Andrea", "Francesca",
           "Tommaso", "Ilaria", "Giacomo", "Lucia", "Nicolò", "Elena"],
    "fr": ["François", "Hélène", "Cécile", "Jérôme", "Amélie", "Noël", "Zoë", "Thérèse", "Raphaël",
           "Agnès", "Benoît", "Léa", "Mathéo", "Océane"],
    "de": ["Jörg", "Jürgen", "Anna", "Lukas", "Sören", "Käthe", "Björn", "Ulrike", "Matthias",
           "Lena", "Günter", "Jana"],
    "es": ["José", "María", "Álvaro", "Lucía", "Ramón", "Inés", "Sebastián", "Begoña", "Andrés",
           "Mónica", "Joaquín", "Ángela"],
    "pt": ["João", "Conceição", "Gonçalo", "Inês", "Sebastião", "Graça", "Tomás", "Leonor",
           "Vitória", "Rodrigo"],
    "en": ["James", "Olivia", "Siobhán", "William", "Chloë", "Zoë", "Michael", "Emily", "Sinéad",
           "Daniel", "Grace", "Aidan"],
    "nl": ["Daan", "Sanne", "Bram", "Eline", "Joost", "Inge", "Maarten", "Femke"],
    "pl": ["Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Wojciech", "Zofia", "Michał", "Jędrzej",
           "Katarzyna", "Bartłomiej"],
    "cs": ["Jiří", "Tereza", "Václav", "Markéta", "Tomáš", "Lucie", "Ondřej", "Kateřina"],
    "hu": ["Zoltán", "Erzsébet", "László", "Katalin", "Gábor", "Zsófia", "Péter", "Anikó"],
    "ro": ["Ștefan", "Ioana", "Mihai", "Andreea", "Răzvan", "Ilinca", "Tudor", "Mădălina"],
    "nordic": ["Søren", "Åsa", "Björn", "Ingrid", "Mikael", "Sigríður", "Jón", "Liisa", "Päivi",
               "Magnus", "Astrid", "Eero"],
    "el": ["Giorgos", "Eleni", "Dimitris", "Katerina", "Nikos", "Sofia", "Yannis", "Maria"],
    "tr": ["Mehmet", "Ayşe", "Çağrı", "Gülşen", "Emre", "Şebnem", "Oğuz", "İrem"],
    "ru": ["Aleksandr", "Ol'ga", "Dmytro", "Natalia", "Sergei", "Iryna", "Andriy", "Yuliya"],
    "sh": ["Luka", "Ivana", "Marko", "Jelena", "Dražen", "Mirjana", "Goran", "Snežana"],
    "sq": ["Arbën", "Blerina", "Dritan", "Elira", "Gëzim", "Mimoza", "Ilir", "Vjosa"],
    "ja": ["Haruto", "Yui", "Sōta", "Yūko", "Ren", "Aoi", "Kenji", "Sakura"],
    "zh": ["Wei", "Fang", "Jun", "Xiaoling", "Hao", "Mei", "Lei", "Yan"],
    "ko": ["Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Hyun-woo", "Su-bin"],
    "vi": ["Minh", "Thảo", "Quang", "Hương", "Đức", "Lan"],
    "ar": ["Mohammed", "Fatima", "Youssef", "Khadija", "Omar", "Leïla", "Karim", "Nour"],
}

LAST_NAMES: dict[str, list[str]] = {
    "it": ["Rossi", "Bianchi", "Esposito", "Ricci", "Mancini", "Conti", "De Luca", "Nicolò",
           "Lombardi", "Galli", "Bertè", "D'Angelo", "Marchetti", "Sarti"],
    "fr": ["Dupont", "Lefèvre", "Girard", "Bérenger", "Mercier", "Faure", "Rivière", "Chevalier",
           "Lemaître", "Gaillard", "Benoît", "Lacroix"],
    "de": ["Müller", "Schäfer", "Köhler", "Weiß", "Schröder", "Groß", "Hoffmann", "Krüger",
           "Böhm", "Fuchs", "Jäger", "Lang"],
    "es": ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Fernández", "Díaz",
           "Muñoz", "Jiménez", "Núñez", "Ibáñez"],
    "pt": ["Silva", "Gonçalves", "Conceição", "Araújo", "Simões", "Magalhães", "Brandão",
           "Pereira", "Assunção", "Lopes"],
    "en": ["Smith", "O'Brien", "Johnson", "Williams", "Brown", "Taylor", "Ó Súilleabháin", "Walsh",
           "Patel", "Clarke", "Evans", "Nguyen"],
    "nl": ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer"],
    "pl": ["Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowska",
           "Zieliński", "Szymańska", "Woźniak", "Dąbrowski", "Łukasiewicz"],
    "cs": ["Novák", "Svobodová", "Dvořák", "Černá", "Procházka", "Kučerová", "Veselý", "Horák"],
    "hu": ["Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár", "Németh"],
    "ro": ["Popescu", "Ionescu", "Dumitrescu", "Stănescu", "Constantinescu", "Țăranu", "Munteanu"],
    "nordic": ["Andersen", "Lindqvist", "Sørensen", "Håkansson", "Jónsdóttir", "Virtanen",
               "Mäkinen", "Ødegaard", "Nyström", "Kristiansen"],
    "el": ["Papadopoulos", "Georgiou", "Oikonomou", "Karagiannis", "Vlachou", "Dimitriou"],
    "tr": ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Doğan"],
    "ru": ["Ivanov", "Smirnova", "Shevchenko", "Kovalenko", "Petrova", "Bondarenko", "Sokolov"],
    "sh": ["Horvat", "Kovačević", "Babić", "Novak", "Jovanović", "Petrović", "Marić", "Šimić"],
    "sq": ["Hoxha", "Shehu", "Krasniqi", "Gashi", "Berisha", "Dervishi", "Çela"],
    "ja": ["Satō", "Suzuki", "Takahashi", "Tanaka", "Itō", "Watanabe", "Yamamoto", "Kōno"],
    "zh": ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao"],
    "ko": ["Kim", "Lee", "Park", "Choi", "Jung", "Kang"],
    "vi": ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ"],
    "ar": ["El Amrani", "Benali", "Haddad", "Mansour", "Saïdi", "Khalil", "Bennani", "Aziz"],
}

# Organisation names in Italian, by kind. {city}: the city; {country}: the country in Italian;
# {it_city}: an Italian city (where consulates and embassies of foreign countries sit).
NAME_PATTERNS: dict[str, list[str]] = {
    "city": ["Comune di {city}", "Città di {city}", "Municipalità di {city}"],
    "metro_region": ["Area metropolitana di {city}", "Provincia di {region}", "Regione {region}",
                     "Distretto di {city}"],
    "government": ["Governo di {country}", "Ministero degli Affari esteri di {country}",
                   "Ministero della Cultura di {country}", "Ministero dell'Istruzione di {country}"],
    "embassy": ["Ambasciata di {country} in Italia", "Ambasciata di {country} presso la Santa Sede"],
    "consulate_career": ["Consolato generale di {country} a {it_city}", "Consolato di {country} a {it_city}"],
    "consulate_honorary": ["Consolato onorario di {country} a {it_city}",
                           "Vice consolato onorario di {country} a {it_city}"],
    "international_org": ["Ufficio UNESCO di {city}", "Centro regionale OCSE di {city}",
                          "Agenzia europea per la cooperazione – sede di {city}",
                          "Ufficio OIM di {city}"],
    "university": ["Università di {city}", "Politecnico di {city}", "Accademia di Belle Arti di {city}",
                   "Università tecnica di {city}", "Conservatorio di musica di {city}",
                   "Dipartimento di Architettura, Università di {city}"],
    "cultural": ["Museo civico di {city}", "Teatro dell'Opera di {city}", "Biblioteca nazionale di {city}",
                 "Istituto Italiano di Cultura di {city}", "Fondazione per l'arte di {city}",
                 "Festival del cinema di {city}"],
    "chamber": ["Camera di commercio di {city}", "Camera di commercio italiana a {city}",
                "Associazione degli industriali di {city}", "Confederazione artigiani di {city}"],
    "company": ["{surname} & Figli {sector_word}", "{city} {sector_word} S.p.A.",
                "{surname} {sector_word} S.r.l.", "Gruppo {surname}"],
    "ngo": ["Associazione {surname} per {cause}", "Fondazione {surname}", "{cause_cap} {city} ODV",
            "Comitato di gemellaggio di {city}"],
    "network": ["Rete delle città per {cause}", "Alleanza delle città di {region}",
                "Rete europea delle città {sector_adj}", "Coordinamento delle città di {country}"],
}

# The same in English (a name in another language for some organisations).
NAME_PATTERNS_EN: dict[str, str] = {
    "city": "City of {city}",
    "metro_region": "{city} Metropolitan Area",
    "university": "University of {city}",
    "cultural": "{city} Civic Museum",
    "chamber": "{city} Chamber of Commerce",
    "international_org": "UNESCO Office in {city}",
}

# In the local language, where the country has one we know how to write.
NAME_PATTERNS_LOCAL: dict[str, dict[str, str]] = {
    "fr": {"city": "Ville de {city}", "university": "Université de {city}",
           "chamber": "Chambre de commerce de {city}", "cultural": "Musée municipal de {city}"},
    "de": {"city": "Stadt {city}", "university": "Universität {city}",
           "chamber": "Industrie- und Handelskammer {city}", "cultural": "Stadtmuseum {city}"},
    "es": {"city": "Ayuntamiento de {city}", "university": "Universidad de {city}",
           "chamber": "Cámara de Comercio de {city}", "cultural": "Museo Municipal de {city}"},
    "pt": {"city": "Câmara Municipal de {city}", "university": "Universidade de {city}",
           "chamber": "Câmara de Comércio de {city}"},
    "pl": {"city": "Miasto {city}", "university": "Uniwersytet w {city}"},
    "nl": {"city": "Gemeente {city}", "university": "Universiteit {city}"},
    "ja": {"city": "{local}市", "university": "{local}大学"},
    "zh": {"city": "{local}市", "university": "{local}大学"},
    "ko": {"city": "{local}시", "university": "{local}대학교"},
    "ar": {"city": "بلدية {local}", "university": "جامعة {local}"},
    "el": {"city": "Δήμος {local}", "university": "Πανεπιστήμιο {local}"},
    "ru": {"city": "Администрация {local}", "university": "Университет {local}"},
}
# BCP 47 code of each name-language group's local names.
LANGUAGE_CODE: dict[str, str] = {
    "fr": "fr", "de": "de", "es": "es", "pt": "pt", "pl": "pl", "nl": "nl", "ja": "ja", "zh": "zh",
    "ko": "ko", "ar": "ar", "el": "el", "ru": "ru",
}

SECTOR_WORDS = ["Tessile", "Ceramiche", "Logistica", "Energia", "Moda", "Meccanica", "Vini",
                "Editoria", "Software", "Ottica", "Pelletteria", "Costruzioni"]
SECTOR_ADJ = ["sostenibili", "creative", "universitarie", "del patrimonio", "della pace", "digitali"]
CAUSES = ["la pace", "l'infanzia", "il dialogo interculturale", "l'ambiente", "i diritti umani",
          "la cooperazione", "il patrimonio", "lo sviluppo locale"]

ROLES: dict[str, list[str]] = {
    "city": ["Sindaco", "Sindaca", "Vicesindaco", "Assessore alle relazioni internazionali",
             "Capo di gabinetto", "Responsabile dell'ufficio gemellaggi"],
    "metro_region": ["Presidente", "Consigliere delegato", "Direttore generale",
                     "Responsabile relazioni internazionali"],
    "government": ["Ministro", "Sottosegretario", "Direttore generale", "Capo di gabinetto"],
    "embassy": ["Ambasciatore", "Ambasciatrice", "Primo consigliere", "Addetto culturale",
                "Consigliere commerciale"],
    "consulate_career": ["Console generale", "Console", "Vice console", "Addetto consolare"],
    "consulate_honorary": ["Console onorario", "Console onoraria", "Vice console onorario"],
    "international_org": ["Direttore", "Direttrice", "Responsabile di programma", "Rappresentante"],
    "university": ["Rettore", "Rettrice", "Prorettore alle relazioni internazionali",
                   "Direttore di dipartimento", "Responsabile ufficio internazionale"],
    "cultural": ["Direttore", "Direttrice", "Presidente", "Curatore", "Sovrintendente"],
    "chamber": ["Presidente", "Segretario generale", "Responsabile internazionalizzazione"],
    "company": ["Amministratore delegato", "Presidente", "Direttore commerciale", "Responsabile export"],
    "ngo": ["Presidente", "Coordinatrice", "Direttore", "Responsabile progetti"],
    "network": ["Segretario generale", "Presidente", "Coordinatore", "Responsabile comunicazione"],
}
HONORIFICS: dict[str, list[str]] = {
    "embassy": ["S.E.", "S.E.", ""],
    "government": ["On.", "S.E.", ""],
    "university": ["Prof.", "Prof.ssa", "Dott."],
    "city": ["", "On.", "Dott.ssa", "Dott."],
}

EXTRA_TAGS = ["corpo consolare", "gemellaggio", "patto di amicizia", "Eurocities", "UNESCO",
              "Erasmus+", "Horizon Europe", "CERV", "diaspora", "patrimonio mondiale"]
STREETS: dict[str, str] = {
    "it": "Via {surname} {n}", "fr": "{n} rue {surname}", "de": "{surname}straße {n}",
    "es": "Calle de {surname} {n}", "pt": "Rua {surname}, {n}", "en": "{n} {surname} Street",
}
