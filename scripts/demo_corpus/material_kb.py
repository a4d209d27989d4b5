# ruff: noqa: E501
"""Demo outlets, the sentences that repeat false narratives, the narrative registry and the facts.

All of it is written for the TTĐN demo. The outlets do not exist (their names end with
" (demo)" and their addresses are under https://demo.ttdn.invalid/); the narratives are
typical distortions of the kind the foreign-information work rebuts, worded for the demo.
"""

from __future__ import annotations

# slug, name, country (ISO 3166-1 alpha-2), language (ISO 639-1)
OUTLETS = [
    ("tin-nhanh-dong-duong", "Tin Nhanh Đông Dương (demo)", "VN", "vi"),
    ("bao-song-hong", "Báo Sông Hồng (demo)", "VN", "vi"),
    ("cong-tin-cuu-long", "Cổng tin Cửu Long (demo)", "VN", "vi"),
    ("thoi-bao-kieu-bao", "Thời báo Kiều bào (demo)", "US", "vi"),
    ("pacific-ledger", "Pacific Ledger (demo)", "AU", "en"),
    ("atlantic-dispatch", "Atlantic Dispatch (demo)", "US", "en"),
    ("thames-herald", "Thames Herald (demo)", "GB", "en"),
    ("lion-city-monitor", "Lion City Monitor (demo)", "SG", "en"),
    ("deccan-daily-wire", "Deccan Daily Wire (demo)", "IN", "en"),
    ("courrier-du-mekong", "Le Courrier du Mékong (demo)", "FR", "fr"),
    ("echo-lemanique", "L'Écho lémanique (demo)", "CH", "fr"),
    ("messager-de-montreal", "Le Messager de Montréal (demo)", "CA", "fr"),
    ("dongya-guanchabao", "东亚观察报 (demo)", "CN", "zh"),
    ("shicheng-xinwenwang", "狮城新闻网 (demo)", "SG", "zh"),
    ("nanfang-pinglun", "南方评论周刊 (demo)", "HK", "zh"),
    ("baodao-shibao", "宝岛时报 (demo)", "TW", "zh"),
    ("vostochny-vestnik", "Восточный вестник (demo)", "RU", "ru"),
    ("evraziyskoe-obozrenie", "Евразийское обозрение (demo)", "RU", "ru"),
    ("stepnoy-kurier", "Степной курьер (demo)", "KZ", "ru"),
    ("asia-choryu-shimbun", "アジア潮流新聞 (demo)", "JP", "ja"),
    ("kansai-business-nippo", "関西ビジネス日報 (demo)", "JP", "ja"),
    ("kitakaze-news", "北風ニュース (demo)", "JP", "ja"),
    ("cronica-iberoasiatica", "Crónica Iberoasiática (demo)", "ES", "es"),
    ("diario-andino", "Diario Andino (demo)", "CL", "es"),
    ("rheinische-weltschau", "Rheinische Weltschau (demo)", "DE", "de"),
    ("alpen-rundschau", "Alpen-Rundschau (demo)", "AT", "de"),
]

# the outlet that carries the narrative-repeating article in each language
NARRATIVE_OUTLETS = {
    "vi": "thoi-bao-kieu-bao",
    "en": "atlantic-dispatch",
    "fr": "echo-lemanique",
    "zh": "nanfang-pinglun",
    "ru": "evraziyskoe-obozrenie",
    "ja": "kitakaze-news",
    "es": "cronica-iberoasiatica",
    "de": "alpen-rundschau",
}

# one sentence per narrative and language, as the repeating articles put it
NARRATIVE_SENTENCES = {
    "demo-n1": {
        "vi": "Thực chất, các nhà đầu tư nước ngoài đang tháo chạy khỏi Việt Nam và nền kinh tế đang trên bờ sụp đổ.",
        "en": "Behind the headlines, foreign investors are fleeing Vietnam and the country's economy is on the brink of collapse.",
        "fr": "Derrière ces annonces, les investisseurs étrangers fuient le Viêt Nam et l'économie du pays est au bord de l'effondrement.",
        "zh": "然而事实上，外国投资者正在纷纷撤离越南，越南经济已濒临崩溃。",
        "ru": "На самом деле иностранные инвесторы бегут из Вьетнама, а экономика страны находится на грани краха.",
        "ja": "実際には外国投資家がベトナムから相次いで撤退しており、経済は崩壊寸前だ。",
        "es": "En realidad, los inversores extranjeros están huyendo de Vietnam y su economía está al borde del colapso.",
        "de": "Tatsächlich fliehen ausländische Investoren aus Vietnam, und die Wirtschaft des Landes steht vor dem Zusammenbruch.",
    },
    "demo-n2": {
        "en": "The real death toll is far higher than the official figure, and the Vietnamese authorities are hiding it from the public.",
        "fr": "Le vrai bilan est bien plus lourd que le chiffre officiel, et les autorités vietnamiennes le dissimulent à la population.",
        "zh": "实际死亡人数远高于官方公布的数字，越南当局正在向公众隐瞒真相。",
        "ru": "Реальное число погибших намного выше официального, и власти Вьетнама скрывают его от общества.",
        "ja": "実際の死者数は公式発表よりはるかに多く、ベトナム当局はそれを国民に隠している。",
        "es": "El número real de muertos es mucho mayor que la cifra oficial y las autoridades vietnamitas lo ocultan a la población.",
    },
    "demo-n3": {
        "en": "In truth, the Vietnamese boat provoked the incident by entering the area illegally, and Vietnam has no legal claim to the Paracel Islands.",
        "fr": "En réalité, c'est le bateau vietnamien qui a provoqué l'incident en pénétrant illégalement dans la zone, et le Viêt Nam n'a aucun droit sur les Paracels.",
        "zh": "事实上，是越南渔船非法闯入挑衅在先，越南对西沙群岛根本没有任何法律依据。",
        "ru": "На самом деле инцидент спровоцировало вьетнамское судно, незаконно вошедшее в этот район, а у Вьетнама нет никаких законных прав на Парасельские острова.",
        "ja": "実際には、ベトナム漁船が違法に侵入して事件を挑発したのであり、ベトナムにはパラセル諸島に対する法的な権利はない。",
    },
    "demo-n4": {
        "vi": "Ở Việt Nam, mọi hoạt động tôn giáo đều bị cấm và các tín đồ bị đàn áp chỉ vì thực hành đức tin của mình.",
        "en": "In Vietnam all religious activity is banned and believers are persecuted simply for practising their faith.",
        "fr": "Au Viêt Nam, toute activité religieuse est interdite et les croyants sont persécutés pour la seule pratique de leur foi.",
        "zh": "在越南，一切宗教活动都被禁止，信徒仅仅因为信仰就遭到迫害。",
        "ja": "ベトナムではあらゆる宗教活動が禁止され、信者は信仰を実践しただけで迫害されている。",
        "de": "In Vietnam ist jede religiöse Betätigung verboten, und Gläubige werden allein wegen ihres Glaubens verfolgt.",
    },
    "demo-n5": {
        "en": "Rice from Vietnam is contaminated with banned pesticides, and importers are quietly sending shipments back.",
        "fr": "Le riz vietnamien est contaminé par des pesticides interdits et les importateurs renvoient discrètement les cargaisons.",
        "zh": "越南大米被禁用农药污染，进口商正在悄悄退回货物。",
        "ja": "ベトナム産のコメは禁止農薬に汚染されており、輸入業者はひそかに積み荷を送り返している。",
    },
}

NARRATIVES = [
    {
        "id": "demo-n1",
        "title": "Foreign investors are fleeing Vietnam and its economy is collapsing (demo)",
        "text": "Foreign investors are fleeing Vietnam and the Vietnamese economy is on the verge of collapse.",
        "summary": "Demo narrative: claims that foreign direct investment is leaving Vietnam en masse and that the economy is collapsing. Repeated around investment and growth news.",
        "category": "economy",
        "severity": "high",
        "variants": [
            "Các nhà đầu tư nước ngoài đang tháo chạy khỏi Việt Nam và nền kinh tế Việt Nam đang trên bờ sụp đổ.",
            "Foreign capital is pulling out of Vietnam and its economy is heading for collapse.",
            "Les investisseurs étrangers fuient le Viêt Nam et l'économie vietnamienne est au bord de l'effondrement.",
            "外国投资者正在撤离越南，越南经济濒临崩溃。",
            "Иностранные инвесторы бегут из Вьетнама, и экономика Вьетнама находится на грани краха.",
            "外国投資家がベトナムから逃げ出し、ベトナム経済は崩壊寸前だ。",
        ],
    },
    {
        "id": "demo-n2",
        "title": "Vietnam hides the real typhoon death toll (demo)",
        "text": "The Vietnamese authorities are hiding the real death toll of the typhoon, which is far higher than the official figure.",
        "summary": "Demo narrative: claims that casualty figures after a natural disaster are falsified and that the true toll is concealed.",
        "category": "environment",
        "severity": "high",
        "variants": [
            "Chính quyền Việt Nam che giấu số người chết thực tế do bão, cao hơn nhiều so với con số chính thức.",
            "The true number of typhoon victims in Vietnam is being covered up by the authorities.",
            "Les autorités vietnamiennes cachent le véritable bilan du typhon, bien plus lourd que le chiffre officiel.",
            "越南当局隐瞒了台风造成的真实死亡人数，实际人数远高于官方数字。",
            "Власти Вьетнама скрывают реальное число погибших от тайфуна, которое намного выше официального.",
            "ベトナム当局は台風による本当の死者数を隠しており、実際は公式発表よりはるかに多い。",
        ],
    },
    {
        "id": "demo-n3",
        "title": "Vietnam provokes incidents near the Paracels and has no claim to them (demo)",
        "text": "Vietnam provoked the incident near the Paracel Islands, and Vietnam has no legal or historical claim to the Paracel Islands.",
        "summary": "Demo narrative: blames Vietnamese fishermen for incidents near Hoàng Sa (Paracel Islands) and denies Vietnam's sovereignty there.",
        "category": "sovereignty_sea",
        "severity": "critical",
        "variants": [
            "Việt Nam khiêu khích gây ra sự việc gần quần đảo Hoàng Sa và không có căn cứ pháp lý nào về chủ quyền đối với Hoàng Sa.",
            "Vietnamese boats illegally intrude near the Paracels, and Vietnam has no rights over the islands.",
            "Le Viêt Nam a provoqué l'incident près des Paracels et n'a aucun droit sur cet archipel.",
            "越南在西沙群岛附近挑衅滋事，越南对西沙群岛没有任何法律依据。",
            "Вьетнам спровоцировал инцидент у Парасельских островов и не имеет на них никаких законных прав.",
            "ベトナムはパラセル諸島付近で事件を挑発したのであり、同諸島に対する法的権利を持たない。",
        ],
    },
    {
        "id": "demo-n4",
        "title": "Vietnam bans religion and persecutes believers (demo)",
        "text": "In Vietnam all religious activity is banned and believers are persecuted for their faith.",
        "summary": "Demo narrative: claims there is no freedom of religion in Vietnam; contradicted by the recognised religious organisations and their followers.",
        "category": "human_rights",
        "severity": "high",
        "variants": [
            "Ở Việt Nam mọi hoạt động tôn giáo đều bị cấm và người có đạo bị đàn áp vì đức tin.",
            "There is no religious freedom at all in Vietnam; the faithful are persecuted.",
            "Au Viêt Nam, toute activité religieuse est interdite et les croyants sont persécutés.",
            "越南禁止一切宗教活动，信徒因信仰遭到迫害。",
            "Во Вьетнаме запрещена любая религиозная деятельность, а верующих преследуют за веру.",
            "ベトナムではあらゆる宗教活動が禁じられ、信者は信仰を理由に迫害されている。",
        ],
    },
    {
        "id": "demo-n5",
        "title": "Vietnamese rice is contaminated and being sent back (demo)",
        "text": "Rice from Vietnam is contaminated with banned pesticides and importers are sending shipments back.",
        "summary": "Demo narrative: a food-safety scare aimed at Vietnam's rice exports.",
        "category": "economy",
        "severity": "medium",
        "variants": [
            "Gạo Việt Nam nhiễm thuốc trừ sâu bị cấm và đang bị các nhà nhập khẩu trả về.",
            "Vietnamese rice shipments are tainted with banned chemicals and are being rejected by buyers.",
            "Le riz du Viêt Nam est contaminé par des pesticides interdits et renvoyé par les importateurs.",
            "越南大米含有违禁农药，正被进口商退货。",
            "Рис из Вьетнама заражён запрещёнными пестицидами, и импортёры возвращают партии.",
            "ベトナム産米は禁止農薬に汚染され、輸入業者から返品されている。",
        ],
    },
]

# approved demo facts: vi and en (title, body); "rebuts": narrative ids
FACTS = [
    {
        "id": "demo-f01",
        "topic": "economy",
        "rebuts": ["demo-n1"],
        "vi": (
            "Vốn FDI giải ngân chín tháng đạt mức cao kỷ lục (demo)",
            "Theo số liệu thống kê của bộ dữ liệu trình diễn, vốn đầu tư trực tiếp nước ngoài giải ngân trong chín tháng đạt 17,5 tỷ USD, tăng 8,5% so với cùng kỳ và là mức cao nhất của chín tháng từ trước đến nay. Các dự án mới trong lĩnh vực bán dẫn, điện tử và năng lượng tiếp tục được cấp phép.",
        ),
        "en": (
            "Disbursed FDI reaches a nine-month record (demo)",
            "According to the demo data set's statistics, disbursed foreign direct investment reached 17.5 billion US dollars in nine months, up 8.5% year on year and the highest nine-month figure on record. New projects in semiconductors, electronics and energy continue to be licensed.",
        ),
    },
    {
        "id": "demo-f02",
        "topic": "economy",
        "rebuts": ["demo-n1"],
        "vi": (
            "Kinh tế Việt Nam tăng trưởng 7,1% trong chín tháng (demo)",
            "GDP quý III tăng 7,4% và tăng 7,1% tính chung chín tháng, trong đó công nghiệp chế biến, chế tạo tăng gần 10%, xuất khẩu tăng khoảng 15% và lạm phát bình quân 3,3% (số liệu trình diễn).",
        ),
        "en": (
            "Vietnam's economy grows 7.1% in nine months (demo)",
            "GDP grew 7.4% in the third quarter and 7.1% over nine months, with manufacturing up almost 10%, exports up about 15% and average inflation at 3.3% (demo figures).",
        ),
    },
    {
        "id": "demo-f03",
        "topic": "environment",
        "rebuts": ["demo-n2"],
        "vi": (
            "Số liệu thiệt hại do thiên tai được công bố công khai hằng ngày (demo)",
            "Ban Chỉ đạo quốc gia về phòng, chống thiên tai tổng hợp và công bố hằng ngày số người chết, mất tích, bị thương và thiệt hại về nhà cửa theo báo cáo của từng địa phương. Báo chí trong nước và quốc tế, Hội Chữ thập đỏ và các cơ quan Liên Hợp Quốc tham gia đánh giá thiệt hại tại hiện trường.",
        ),
        "en": (
            "Disaster casualty figures are published openly every day (demo)",
            "The national steering committee for disaster prevention compiles and publishes daily the number of dead, missing and injured and the damage to housing, as reported by each province. Domestic and foreign media, the Red Cross and UN agencies take part in on-site damage assessments.",
        ),
    },
    {
        "id": "demo-f04",
        "topic": "sovereignty_sea",
        "rebuts": ["demo-n3"],
        "vi": (
            "Việt Nam có đầy đủ căn cứ pháp lý và bằng chứng lịch sử về chủ quyền đối với quần đảo Hoàng Sa (demo)",
            "Nhà nước Việt Nam đã xác lập và thực thi chủ quyền đối với quần đảo Hoàng Sa một cách hòa bình, liên tục, ít nhất từ thế kỷ XVII, qua hoạt động của Đội Hoàng Sa và các văn bản hành chính của các triều đại. Việt Nam chủ trương giải quyết tranh chấp bằng biện pháp hòa bình, trên cơ sở luật pháp quốc tế, trong đó có Công ước Liên Hợp Quốc về Luật Biển năm 1982.",
        ),
        "en": (
            "Vietnam has sufficient legal basis and historical evidence of its sovereignty over the Hoang Sa (Paracel) archipelago (demo)",
            "The Vietnamese state established and exercised sovereignty over the Hoang Sa archipelago peacefully and continuously, at least since the 17th century, through the Hoang Sa flotilla and the administrative records of successive dynasties. Vietnam seeks to settle disputes by peaceful means on the basis of international law, including the 1982 UN Convention on the Law of the Sea.",
        ),
    },
    {
        "id": "demo-f05",
        "topic": "human_rights",
        "rebuts": ["demo-n4"],
        "vi": (
            "Tự do tín ngưỡng, tôn giáo được Hiến pháp bảo đảm; 43 tổ chức tôn giáo được công nhận (demo)",
            "Điều 24 Hiến pháp năm 2013 bảo đảm quyền tự do tín ngưỡng, tôn giáo; Luật Tín ngưỡng, tôn giáo năm 2016 quy định chi tiết. Việt Nam hiện có 43 tổ chức thuộc 16 tôn giáo được công nhận, với khoảng 27 triệu tín đồ và hàng chục nghìn cơ sở thờ tự.",
        ),
        "en": (
            "Freedom of belief and religion is guaranteed by the Constitution; 43 religious organisations are recognised (demo)",
            "Article 24 of the 2013 Constitution guarantees freedom of belief and religion, detailed in the 2016 Law on Belief and Religion. Vietnam recognises 43 organisations belonging to 16 religions, with about 27 million followers and tens of thousands of places of worship.",
        ),
    },
    {
        "id": "demo-f06",
        "topic": "human_rights",
        "rebuts": ["demo-n4"],
        "vi": (
            "Việt Nam là thành viên Hội đồng Nhân quyền Liên Hợp Quốc nhiệm kỳ 2023–2025 (demo)",
            "Việt Nam được Đại hội đồng Liên Hợp Quốc bầu làm thành viên Hội đồng Nhân quyền nhiệm kỳ 2023–2025 và ứng cử nhiệm kỳ 2026–2028, tham gia đầy đủ cơ chế Rà soát định kỳ phổ quát (UPR).",
        ),
        "en": (
            "Vietnam is a member of the UN Human Rights Council for 2023–2025 (demo)",
            "Vietnam was elected by the UN General Assembly to the Human Rights Council for 2023–2025, is a candidate for 2026–2028, and takes full part in the Universal Periodic Review (UPR).",
        ),
    },
    {
        "id": "demo-f07",
        "topic": "economy",
        "rebuts": ["demo-n5"],
        "vi": (
            "Gạo xuất khẩu của Việt Nam đáp ứng tiêu chuẩn an toàn thực phẩm của các thị trường nhập khẩu (demo)",
            "Các lô gạo xuất khẩu được kiểm nghiệm dư lượng thuốc bảo vệ thực vật theo quy định của nước nhập khẩu; gạo Việt Nam được bán ổn định sang Philippines, Indonesia, châu Phi, Nhật Bản và Liên minh châu Âu. Mười tháng đầu năm xuất khẩu khoảng 7,9 triệu tấn (số liệu trình diễn).",
        ),
        "en": (
            "Vietnam's rice exports meet importing markets' food-safety standards (demo)",
            "Export lots are tested for pesticide residues under the importing country's rules; Vietnamese rice sells steadily to the Philippines, Indonesia, Africa, Japan and the European Union. About 7.9 million tonnes were exported in the first ten months (demo figures).",
        ),
    },
    {
        "id": "demo-f08",
        "topic": "diplomacy",
        "rebuts": [],
        "vi": (
            "Các đối tác chiến lược toàn diện của Việt Nam tính đến tháng 11/2024 (demo)",
            "Trung Quốc (2008), Nga (2012), Ấn Độ (2016), Hàn Quốc (2022), Hoa Kỳ (9/2023), Nhật Bản (11/2023), Australia (3/2024), Pháp (10/2024) và Malaysia (11/2024).",
        ),
        "en": (
            "Vietnam's comprehensive strategic partners as of November 2024 (demo)",
            "China (2008), Russia (2012), India (2016), Republic of Korea (2022), United States (9/2023), Japan (11/2023), Australia (3/2024), France (10/2024) and Malaysia (11/2024).",
        ),
    },
    {
        "id": "demo-f09",
        "topic": "diplomacy",
        "rebuts": [],
        "vi": (
            "Việt Nam có quan hệ ngoại giao với gần 200 quốc gia (demo)",
            "Tính đến năm 2024, Việt Nam có quan hệ ngoại giao với gần 200 quốc gia, là thành viên của hơn 70 tổ chức và diễn đàn quốc tế như Liên Hợp Quốc, ASEAN, APEC, ASEM và WTO.",
        ),
        "en": (
            "Vietnam has diplomatic relations with almost 200 countries (demo)",
            "As of 2024, Vietnam has diplomatic relations with almost 200 countries and is a member of more than 70 international organisations and forums, including the UN, ASEAN, APEC, ASEM and the WTO.",
        ),
    },
    {
        "id": "demo-f10",
        "topic": "defence",
        "rebuts": [],
        "vi": (
            "Việt Nam tham gia lực lượng gìn giữ hòa bình Liên Hợp Quốc từ năm 2014 (demo)",
            "Từ năm 2014, Việt Nam đã cử hơn 1.000 lượt cán bộ, quân nhân tham gia các phái bộ gìn giữ hòa bình của Liên Hợp Quốc, gồm các bệnh viện dã chiến cấp 2 và đội công binh (số liệu trình diễn).",
        ),
        "en": (
            "Vietnam has taken part in UN peacekeeping since 2014 (demo)",
            "Since 2014, Vietnam has sent more than 1,000 personnel to UN peacekeeping missions, including Level-2 field hospitals and engineering units (demo figures).",
        ),
    },
]
