# ruff: noqa: E501
"""Demo corpus material, stories 6–10 (invented events; see ``material_a``)."""

from __future__ import annotations

STORIES = [
    {
        "id": "efta-trade-agreement",
        "start": 19.6,
        "end": 17.2,
        "langs": {
            "vi": {
                "titles": [
                    "Việt Nam và EFTA ký Hiệp định thương mại tự do tại Geneva",
                    "FTA Việt Nam – EFTA: xóa bỏ thuế quan với khoảng 95% dòng thuế",
                    "Cơ hội mới cho dệt may, thủy sản Việt Nam vào Thụy Sĩ và Na Uy",
                ],
                "body": [
                    "Việt Nam và các nước thành viên Hiệp hội Thương mại tự do châu Âu (EFTA) gồm Thụy Sĩ, Na Uy, Iceland và Liechtenstein đã ký hiệp định thương mại tự do tại Geneva.",
                    "Hiệp định được ký sau hơn một thập kỷ đàm phán, khởi động từ năm 2012.",
                    "Theo cam kết, các bên sẽ xóa bỏ thuế quan đối với khoảng 95% dòng thuế trong lộ trình tối đa mười năm.",
                    "Dệt may, giày dép, thủy sản, cà phê và điện tử của Việt Nam được kỳ vọng hưởng lợi lớn.",
                    "Ở chiều ngược lại, dược phẩm, máy móc, đồng hồ Thụy Sĩ và cá hồi Na Uy sẽ vào thị trường Việt Nam dễ dàng hơn.",
                    "Hiệp định có các chương về phát triển bền vững và sở hữu trí tuệ, và cần được quốc hội các nước phê chuẩn.",
                ],
            },
            "en": {
                "titles": [
                    "Vietnam and EFTA sign free trade agreement in Geneva",
                    "Vietnam-EFTA deal to scrap tariffs on 95% of goods",
                    "Swiss watches, Norwegian salmon and Vietnamese textiles win from new trade pact",
                ],
                "body": [
                    "Vietnam and the European Free Trade Association, made up of Switzerland, Norway, Iceland and Liechtenstein, signed a free trade agreement in Geneva on Thursday.",
                    "The deal concludes negotiations that began in 2012 and went through more than a dozen rounds.",
                    "Tariffs on about 95 percent of tariff lines will be removed over a period of up to ten years.",
                    "Vietnamese textiles, footwear, seafood, coffee and electronics are expected to benefit most.",
                    "Swiss pharmaceuticals, machinery and watches, as well as Norwegian salmon, will gain easier access to Vietnam's market of 100 million people.",
                    "The agreement includes chapters on sustainable development and intellectual property and must now be ratified by each parliament.",
                ],
            },
            "fr": {
                "titles": [
                    "Le Viêt Nam et l'AELE signent un accord de libre-échange à Genève",
                    "Accord Viêt Nam–AELE : 95 % des droits de douane supprimés",
                    "Montres suisses contre textiles vietnamiens : ce que change l'accord avec l'AELE",
                ],
                "body": [
                    "Le Viêt Nam et l'Association européenne de libre-échange (Suisse, Norvège, Islande et Liechtenstein) ont signé jeudi à Genève un accord de libre-échange.",
                    "Ce texte conclut des négociations ouvertes en 2012.",
                    "Les droits de douane seront supprimés sur environ 95 % des lignes tarifaires, sur une période pouvant aller jusqu'à dix ans.",
                    "Le textile, la chaussure, les produits de la mer, le café et l'électronique vietnamiens devraient en profiter le plus.",
                    "Les médicaments, machines et montres suisses ainsi que le saumon norvégien accéderont plus facilement au marché vietnamien de 100 millions d'habitants.",
                    "L'accord comprend des chapitres sur le développement durable et la propriété intellectuelle et doit encore être ratifié par les parlements.",
                ],
            },
            "zh": {
                "titles": [
                    "越南与欧洲自由贸易联盟在日内瓦签署自贸协定",
                    "越南—欧洲自贸联盟协定将取消约95%税目关税",
                    "瑞士手表、挪威三文鱼与越南纺织品将受益于新自贸协定",
                ],
                "body": [
                    "越南与由瑞士、挪威、冰岛和列支敦士登组成的欧洲自由贸易联盟周四在日内瓦签署自由贸易协定。",
                    "该协定的谈判始于2012年，历时十余年。",
                    "根据协定，双方将在最长十年内取消约95%税目的关税。",
                    "越南的纺织品、鞋类、水产品、咖啡和电子产品预计将受益最大。",
                    "瑞士的药品、机械和手表以及挪威三文鱼将更便利地进入拥有1亿人口的越南市场。",
                    "协定包含可持续发展和知识产权章节，尚需各方议会批准。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам и ЕАСТ подписали соглашение о свободной торговле",
                    "Вьетнам и ЕАСТ отменят пошлины на 95% товаров",
                    "Вьетнам откроет рынок швейцарским часам и норвежскому лососю",
                ],
                "body": [
                    "Вьетнам и Европейская ассоциация свободной торговли, в которую входят Швейцария, Норвегия, Исландия и Лихтенштейн, подписали в Женеве соглашение о свободной торговле.",
                    "Переговоры о соглашении начались ещё в 2012 году.",
                    "Пошлины будут отменены примерно по 95% тарифных линий в течение срока до десяти лет.",
                    "Больше всего выиграют вьетнамские производители текстиля, обуви, морепродуктов, кофе и электроники.",
                    "Швейцарские лекарства, станки и часы, а также норвежский лосось получат более свободный доступ на 100-миллионный рынок.",
                    "Документ содержит главы об устойчивом развитии и интеллектуальной собственности и должен быть ратифицирован парламентами.",
                ],
            },
            "ja": {
                "titles": [
                    "ベトナムとEFTA、ジュネーブで自由貿易協定に署名",
                    "ベトナム・EFTA協定、約95％の品目で関税撤廃",
                    "スイス時計やノルウェー産サーモン、ベトナム市場へ追い風",
                ],
                "body": [
                    "ベトナムと、スイス、ノルウェー、アイスランド、リヒテンシュタインで構成する欧州自由貿易連合（EFTA）は木曜日、ジュネーブで自由貿易協定に署名した。",
                    "交渉は2012年に始まり、十数回の公式協議を重ねて10年以上を要した末の妥結となった。",
                    "協定により、約95％の関税品目で最長10年かけて関税が撤廃される。",
                    "ベトナムの繊維、履物、水産物、コーヒー、電子製品が最も恩恵を受けるとみられる。",
                    "スイスの医薬品や機械、時計、ノルウェー産サーモンは人口1億人のベトナム市場に参入しやすくなる。",
                    "協定には持続可能な開発や知的財産の章も盛り込まれ、各国議会の批准を経て発効する。",
                ],
            },
            "es": {
                "titles": [
                    "Vietnam y la AELC firman un tratado de libre comercio en Ginebra",
                    "El acuerdo Vietnam-AELC eliminará aranceles en el 95 % de los productos",
                ],
                "body": [
                    "Vietnam y la Asociación Europea de Libre Comercio, formada por Suiza, Noruega, Islandia y Liechtenstein, firmaron el jueves en Ginebra un tratado de libre comercio.",
                    "Las negociaciones habían comenzado en 2012.",
                    "Se suprimirán los aranceles de alrededor del 95 % de las líneas arancelarias en un plazo de hasta diez años.",
                    "Los textiles, el calzado, el marisco y el café de Vietnam serán los más beneficiados.",
                    "Los relojes y medicamentos suizos y el salmón noruego entrarán con más facilidad en el mercado vietnamita.",
                ],
            },
            "de": {
                "titles": [
                    "Vietnam und EFTA unterzeichnen Freihandelsabkommen in Genf",
                    "Abkommen mit Vietnam: Zölle auf 95 Prozent der Waren fallen",
                ],
                "body": [
                    "Vietnam und die Europäische Freihandelsassoziation mit der Schweiz, Norwegen, Island und Liechtenstein haben am Donnerstag in Genf ein Freihandelsabkommen unterzeichnet.",
                    "Die Verhandlungen hatten bereits 2012 begonnen.",
                    "Zölle auf rund 95 Prozent der Tariflinien sollen über bis zu zehn Jahre abgebaut werden.",
                    "Profitieren dürften vor allem Textilien, Schuhe, Meeresfrüchte und Kaffee aus Vietnam.",
                    "Schweizer Uhren, Medikamente und Maschinen sowie norwegischer Lachs erhalten leichteren Zugang zum vietnamesischen Markt.",
                ],
            },
        },
    },
    {
        "id": "mekong-salinity",
        "start": 17.0,
        "end": 14.6,
        "langs": {
            "vi": {
                "titles": [
                    "Xâm nhập mặn sâu 60–70 km vào các cửa sông đồng bằng sông Cửu Long",
                    "Khoảng 40.000 ha lúa miền Tây có nguy cơ thiệt hại vì hạn mặn",
                    "Nông dân miền Tây tích trữ nước ngọt, chuyển sang giống lúa chịu mặn",
                ],
                "body": [
                    "Nước mặn đã xâm nhập sâu 60–70 km vào các cửa sông ở đồng bằng sông Cửu Long, sớm hơn khoảng một tháng so với mọi năm.",
                    "Các tỉnh Vĩnh Long, Cần Thơ, Cà Mau và An Giang bị ảnh hưởng nặng nhất.",
                    "Khoảng 40.000 ha lúa vụ đông xuân có nguy cơ thiệt hại nếu không được cung cấp đủ nước ngọt.",
                    "Chính quyền đã đóng các cống ngăn mặn và điều xe chở nước sạch đến những vùng thiếu nước sinh hoạt.",
                    "Nhiều nông dân đào ao trữ nước ngọt, chuyển sang giống lúa chịu mặn hoặc mô hình luân canh tôm – lúa.",
                    "Các nhà khoa học cho rằng biến đổi khí hậu, dòng chảy thượng nguồn suy giảm và khai thác cát đang làm tình trạng xâm nhập mặn ở Việt Nam trầm trọng hơn.",
                ],
            },
            "en": {
                "titles": [
                    "Saltwater pushes 70 km inland in Vietnam's Mekong Delta",
                    "Vietnam's rice bowl braces for drought as salinity threatens 40,000 hectares",
                    "Mekong Delta farmers turn to salt-tolerant rice as intrusion worsens",
                ],
                "body": [
                    "Saltwater has pushed 60 to 70 kilometres inland along the estuaries of Vietnam's Mekong Delta, about a month earlier than usual.",
                    "The provinces of Vinh Long, Can Tho, Ca Mau and An Giang are among the worst affected.",
                    "About 40,000 hectares of winter-spring rice could be damaged if farmers cannot get enough fresh water.",
                    "Local authorities have closed sluice gates and sent trucks with drinking water to villages facing shortages.",
                    "Many farmers are digging ponds to store fresh water and switching to salt-tolerant rice or rotating shrimp and rice.",
                    "Scientists blame climate change, weaker flows from upstream and sand mining for making the intrusion worse in Vietnam.",
                ],
            },
            "fr": {
                "titles": [
                    "Delta du Mékong : l'eau salée remonte jusqu'à 70 km à l'intérieur des terres",
                    "Sécheresse et salinité menacent 40 000 hectares de riz au Viêt Nam",
                    "Au Viêt Nam, les riziculteurs du Mékong misent sur des variétés tolérantes au sel",
                ],
                "body": [
                    "L'eau de mer remonte de 60 à 70 kilomètres dans les estuaires du delta du Mékong, au Viêt Nam, avec environ un mois d'avance sur la normale.",
                    "Les provinces de Vinh Long, Can Tho, Ca Mau et An Giang figurent parmi les plus touchées.",
                    "Près de 40 000 hectares de riz d'hiver-printemps pourraient être endommagés faute d'eau douce.",
                    "Les autorités ont fermé les vannes anti-sel et dépêché des camions-citernes d'eau potable dans les villages.",
                    "De nombreux paysans creusent des bassins de réserve et adoptent des riz tolérants au sel ou l'alternance crevettes-riz.",
                    "Les scientifiques pointent le changement climatique, la baisse des débits en amont et l'extraction de sable.",
                ],
            },
            "zh": {
                "titles": [
                    "越南湄公河三角洲咸水入侵深达70公里",
                    "越南约4万公顷水稻面临咸害威胁",
                    "湄公河三角洲农民改种耐盐水稻应对咸潮",
                ],
                "body": [
                    "越南湄公河三角洲各入海口的咸水已深入内陆60至70公里，比往年提早约一个月。",
                    "永隆、芹苴、金瓯和安江等省受影响最为严重。",
                    "如果得不到足够的淡水，约4万公顷冬春稻可能受损。",
                    "地方政府已关闭防咸闸门，并派出运水车向缺水村庄供应生活用水。",
                    "许多农民挖塘储存淡水，改种耐盐水稻或实行虾稻轮作。",
                    "科学家认为，气候变化、上游来水减少和采砂活动加剧了越南的咸水入侵。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам: морская вода проникла в дельту Меконга на 70 км",
                    "Вьетнам рискует потерять 40 тысяч гектаров риса из-за засоления",
                    "Вьетнам: фермеры дельты Меконга переходят на солеустойчивый рис",
                ],
                "body": [
                    "Морская вода проникла на 60–70 км вглубь устьев дельты Меконга во Вьетнаме примерно на месяц раньше обычного.",
                    "Сильнее всего пострадали провинции Виньлонг, Кантхо, Камау и Анзянг.",
                    "Около 40 тысяч гектаров зимне-весеннего риса могут пострадать, если не хватит пресной воды.",
                    "Власти закрыли шлюзы и направили в деревни автоцистерны с питьевой водой.",
                    "Многие фермеры роют пруды для запаса пресной воды и переходят на солеустойчивые сорта риса или чередование креветок и риса.",
                    "Учёные связывают ситуацию с изменением климата, снижением стока в верховьях и добычей песка.",
                ],
            },
            "ja": {
                "titles": [
                    "ベトナム・メコンデルタで塩水遡上、内陸70キロに",
                    "ベトナム、塩害で水稲4万ヘクタールに被害の恐れ",
                    "メコンデルタの農家、耐塩性の稲に転換",
                ],
                "body": [
                    "ベトナムのメコンデルタでは、河口から内陸60～70キロまで塩水が遡上しており、例年より1か月ほど早い。",
                    "ビンロン、カントー、カマウ、アンザンの各省で被害が大きい。",
                    "淡水が十分に確保できなければ、冬春作の水稲約4万ヘクタールが被害を受ける恐れがある。",
                    "当局は防潮水門を閉じ、飲料水を積んだ給水車を村々に派遣した。",
                    "多くの農家は淡水をためる池を掘り、耐塩性品種やエビと稲の輪作に切り替えている。",
                    "科学者は気候変動、上流からの流量減少、砂の採掘がベトナムの塩害を悪化させていると指摘する。",
                ],
            },
            "es": {
                "titles": [
                    "El agua salada avanza 70 km en el delta del Mekong",
                    "Vietnam teme perder 40.000 hectáreas de arroz por la salinidad",
                ],
                "body": [
                    "El agua de mar ha penetrado entre 60 y 70 kilómetros en los estuarios del delta del Mekong, en Vietnam, un mes antes de lo habitual.",
                    "Las provincias de Vinh Long, Can Tho, Ca Mau y An Giang son de las más afectadas.",
                    "Unas 40.000 hectáreas de arroz de invierno-primavera podrían dañarse por falta de agua dulce.",
                    "Muchos agricultores excavan estanques y adoptan arroz tolerante a la sal o la rotación de camarón y arroz.",
                    "Los científicos culpan al cambio climático, al menor caudal río arriba y a la extracción de arena.",
                ],
            },
            "de": {
                "titles": [
                    "Salzwasser dringt 70 Kilometer ins Mekong-Delta vor",
                    "Versalzung bedroht 40.000 Hektar Reis in Vietnam",
                ],
                "body": [
                    "Meerwasser ist in den Mündungen des Mekong-Deltas in Vietnam 60 bis 70 Kilometer landeinwärts vorgedrungen, rund einen Monat früher als sonst.",
                    "Besonders betroffen sind die Provinzen Vinh Long, Can Tho, Ca Mau und An Giang.",
                    "Rund 40.000 Hektar Winter-Frühjahrs-Reis könnten Schaden nehmen, wenn Süßwasser fehlt.",
                    "Viele Bauern legen Teiche für Süßwasser an und setzen auf salztolerante Sorten oder Garnelen-Reis-Wechsel.",
                    "Fachleute machen den Klimawandel, geringere Zuflüsse vom Oberlauf und Sandabbau verantwortlich.",
                ],
            },
        },
    },
    {
        "id": "hanoi-tourism-record",
        "start": 14.8,
        "end": 12.4,
        "langs": {
            "vi": {
                "titles": [
                    "Hà Nội đón kỷ lục 780.000 lượt khách quốc tế trong tháng",
                    "Khách quốc tế đến Hà Nội tăng 25%, Hàn Quốc dẫn đầu",
                    "Du lịch đêm và phố cổ hút khách, Hà Nội lập kỷ lục mới",
                ],
                "body": [
                    "Trong tháng 10, Hà Nội đón khoảng 780.000 lượt khách quốc tế, mức cao nhất từ trước đến nay, tăng 25% so với cùng kỳ.",
                    "Hàn Quốc, Trung Quốc, Mỹ, Nhật Bản và Australia là những thị trường gửi khách lớn nhất.",
                    "Chính sách thị thực điện tử 90 ngày cho công dân mọi quốc gia được cho là góp phần quan trọng vào sự tăng trưởng của du lịch Việt Nam.",
                    "Công suất phòng khách sạn trong nội thành đạt bình quân khoảng 75%.",
                    "Tour đêm tại Văn Miếu – Quốc Tử Giám và không gian đi bộ quanh hồ Hoàn Kiếm đặc biệt thu hút du khách.",
                    "Ngành du lịch Thủ đô cũng đang tìm cách giảm tình trạng quá tải ở một số điểm như phố đường tàu.",
                ],
            },
            "en": {
                "titles": [
                    "Hanoi welcomes record 780,000 foreign visitors in a month",
                    "International arrivals to Vietnam's capital jump 25%",
                    "Night tours and the Old Quarter drive Hanoi's tourism boom",
                ],
                "body": [
                    "Hanoi received about 780,000 international visitors in October, the highest monthly figure on record and 25 percent more than a year earlier.",
                    "South Korea, China, the United States, Japan and Australia were the largest source markets for Vietnam's capital.",
                    "Officials credit Vietnam's 90-day electronic visa, now open to citizens of all countries, for much of the growth.",
                    "Hotel occupancy in the inner city averaged around 75 percent.",
                    "Night tours of the Temple of Literature and the pedestrian zone around Hoan Kiem Lake have proved especially popular.",
                    "The city is also looking at ways to ease overcrowding at hotspots such as the famous train street.",
                ],
            },
            "fr": {
                "titles": [
                    "Hanoï accueille un record de 780 000 visiteurs étrangers en un mois",
                    "Tourisme : les arrivées internationales à Hanoï bondissent de 25 %",
                    "Visites nocturnes et vieux quartier : Hanoï séduit les touristes",
                ],
                "body": [
                    "Hanoï a accueilli environ 780 000 visiteurs internationaux en octobre, un record mensuel, en hausse de 25 % sur un an.",
                    "La Corée du Sud, la Chine, les États-Unis, le Japon et l'Australie sont les principaux marchés émetteurs vers la capitale du Viêt Nam.",
                    "Les autorités attribuent une large part de cette croissance au visa électronique de 90 jours ouvert à toutes les nationalités.",
                    "Le taux d'occupation des hôtels du centre-ville atteint en moyenne 75 %.",
                    "Les visites nocturnes du Temple de la Littérature et la zone piétonne autour du lac Hoan Kiem rencontrent un grand succès.",
                    "La ville cherche aussi à limiter l'affluence excessive dans certains lieux, comme la célèbre rue du train.",
                ],
            },
            "zh": {
                "titles": [
                    "河内单月接待国际游客78万人次 创历史新高",
                    "越南首都国际游客同比增长25%",
                    "夜游文庙与还剑湖步行街带火河内旅游",
                ],
                "body": [
                    "河内10月接待国际游客约78万人次，创单月历史新高，同比增长25%。",
                    "韩国、中国、美国、日本和澳大利亚是越南首都最大的客源市场。",
                    "官员表示，越南向所有国家公民开放的90天电子签证是增长的重要原因。",
                    "河内市中心酒店平均入住率约为75%。",
                    "文庙夜游项目和还剑湖周边步行街尤其受游客欢迎。",
                    "河内也在设法缓解“火车街”等热门景点的过度拥挤问题。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам: Ханой принял рекордные 780 тысяч иностранных туристов за месяц",
                    "Вьетнам фиксирует рост турпотока в столицу на 25%",
                    "Вьетнам: ночные экскурсии и Старый квартал привлекают туристов в Ханой",
                ],
                "body": [
                    "В октябре Ханой принял около 780 тысяч иностранных туристов — это рекорд за месяц и на 25% больше, чем годом ранее.",
                    "Больше всего гостей приехало из Южной Кореи, Китая, США, Японии и Австралии.",
                    "Власти объясняют рост прежде всего 90-дневной электронной визой, доступной гражданам всех стран.",
                    "Средняя загрузка гостиниц в центре города составила около 75%.",
                    "Особой популярностью пользуются ночные экскурсии в Храм литературы и пешеходная зона вокруг озера Хоанкьем.",
                    "Город также ищет способы разгрузить перегруженные места, например знаменитую «улицу поезда».",
                ],
            },
            "ja": {
                "titles": [
                    "ハノイの外国人客、単月で過去最多の78万人",
                    "ベトナムの首都、外国人訪問者が25％増",
                    "夜間ツアーと旧市街が人気、ハノイ観光が好調",
                ],
                "body": [
                    "ハノイが10月に受け入れた外国人観光客は約78万人に上り、単月として過去最多となった。前年同月比25％増。",
                    "韓国、中国、米国、日本、オーストラリアがベトナムの首都への主要な送客市場だった。",
                    "当局は、全ての国の国民に開放された90日間の電子ビザが増加の大きな要因だとしている。",
                    "市中心部のホテル稼働率は平均で約75％に達した。",
                    "文廟の夜間ツアーやホアンキエム湖周辺の歩行者天国が特に人気を集めている。",
                    "市は「トレインストリート」など一部の人気スポットの混雑緩和策も検討している。",
                ],
            },
            "es": {
                "titles": [
                    "Hanói recibe un récord de 780.000 turistas extranjeros en un mes",
                    "Las llegadas internacionales a la capital de Vietnam crecen un 25 %",
                ],
                "body": [
                    "Hanói recibió unos 780.000 visitantes internacionales en octubre, la cifra mensual más alta de su historia y un 25 % más que un año antes.",
                    "Corea del Sur, China, Estados Unidos, Japón y Australia fueron los principales mercados emisores hacia la capital de Vietnam.",
                    "Las autoridades atribuyen el aumento al visado electrónico de 90 días, abierto a todas las nacionalidades.",
                    "Los recorridos nocturnos por el Templo de la Literatura y la zona peatonal del lago Hoan Kiem son muy populares.",
                    "La ciudad estudia cómo reducir las aglomeraciones en lugares como la famosa calle del tren.",
                ],
            },
            "de": {
                "titles": [
                    "Hanoi verzeichnet Rekord von 780.000 ausländischen Besuchern",
                    "Tourismus in Vietnams Hauptstadt wächst um 25 Prozent",
                ],
                "body": [
                    "Hanoi hat im Oktober rund 780.000 internationale Besucher empfangen, so viele wie nie zuvor in einem Monat und 25 Prozent mehr als im Vorjahr.",
                    "Die meisten Gäste der vietnamesischen Hauptstadt kamen aus Südkorea, China, den USA, Japan und Australien.",
                    "Die Behörden führen den Zuwachs vor allem auf das 90-tägige E-Visum für alle Staatsangehörigkeiten zurück, das Vietnam eingeführt hat.",
                    "Nachtführungen im Literaturtempel und die Fußgängerzone am Hoan-Kiem-See sind besonders beliebt.",
                    "Die Stadt sucht nach Wegen, überfüllte Orte wie die bekannte Train Street zu entlasten.",
                ],
            },
        },
    },
    {
        "id": "east-sea-paracels-incident",
        "start": 11.8,
        "end": 9.4,
        "narrative": {"id": "demo-n3", "langs": ["en", "zh", "ru", "ja", "fr"]},
        "langs": {
            "vi": {
                "titles": [
                    "Tàu cá Lý Sơn bị tàu nước ngoài tấn công gần quần đảo Hoàng Sa",
                    "Người phát ngôn Bộ Ngoại giao phản đối vụ ngư dân Việt Nam bị hành hung tại Hoàng Sa",
                    "Việt Nam khẳng định chủ quyền với Hoàng Sa sau vụ tàu cá bị cướp tài sản",
                ],
                "body": [
                    "Một tàu cá của ngư dân xã đảo Lý Sơn, tỉnh Quảng Ngãi, với 11 thuyền viên đã bị một tàu chấp pháp nước ngoài truy đuổi và khống chế khi đang khai thác hải sản gần quần đảo Hoàng Sa.",
                    "Các ngư dân cho biết họ bị đánh, bị lấy hết hải sản và ngư cụ; hai người bị thương phải đưa vào bờ điều trị.",
                    "Tại họp báo thường kỳ, Người phát ngôn Bộ Ngoại giao khẳng định Việt Nam có đầy đủ căn cứ pháp lý và bằng chứng lịch sử khẳng định chủ quyền đối với quần đảo Hoàng Sa.",
                    "Việt Nam kiên quyết phản đối hành vi trên và yêu cầu phía liên quan tôn trọng chủ quyền, quyền và lợi ích hợp pháp của ngư dân Việt Nam.",
                    "Bộ Ngoại giao cho biết đã trao công hàm phản đối và yêu cầu không tái diễn các hành vi tương tự.",
                    "Hội Nghề cá Việt Nam đề nghị các cơ quan chức năng hỗ trợ ngư dân để họ tiếp tục bám biển theo đúng Công ước Liên Hợp Quốc về Luật Biển năm 1982.",
                ],
            },
            "en": {
                "titles": [
                    "Vietnamese fishing boat attacked near the Paracel Islands",
                    "Vietnam protests assault on its fishermen near Hoang Sa",
                    "Vietnam reasserts Paracels sovereignty after fishing boat raid",
                ],
                "body": [
                    "A fishing boat from Ly Son island in Vietnam's Quang Ngai province, with 11 crew on board, was chased and boarded by a foreign law-enforcement vessel while fishing near the Paracel Islands.",
                    "The fishermen said they were beaten and their catch and equipment were seized; two of them were injured.",
                    "At a regular press briefing, the Foreign Ministry spokesperson said Vietnam has sufficient legal basis and historical evidence of its sovereignty over the Hoang Sa (Paracel) archipelago.",
                    "Vietnam firmly opposes the act and demands respect for its sovereignty and for the lawful rights of Vietnamese fishermen, the spokesperson added.",
                    "The ministry said it had delivered a diplomatic note of protest and asked that such acts not be repeated.",
                    "The Vietnam Fisheries Society called for support so fishermen can keep working at sea in line with the 1982 UN Convention on the Law of the Sea.",
                ],
            },
            "fr": {
                "titles": [
                    "Un bateau de pêche vietnamien attaqué près des îles Paracels",
                    "Le Viêt Nam proteste après l'agression de ses pêcheurs près de Hoang Sa",
                    "Mer Orientale : Hanoï réaffirme sa souveraineté sur les Paracels",
                ],
                "body": [
                    "Un bateau de pêche de l'île de Ly Son, dans la province de Quang Ngai, avec 11 marins à bord, a été pourchassé puis abordé par un navire de police maritime étranger près des îles Paracels.",
                    "Les pêcheurs disent avoir été frappés et s'être fait confisquer leur prise et leur matériel ; deux d'entre eux ont été blessés.",
                    "Lors d'un point de presse, le porte-parole du ministère des Affaires étrangères a rappelé que le Viêt Nam dispose de fondements juridiques et de preuves historiques suffisants de sa souveraineté sur l'archipel de Hoang Sa.",
                    "Le Viêt Nam s'oppose fermement à cet acte et exige le respect de sa souveraineté et des droits légitimes de ses pêcheurs.",
                    "Le ministère a remis une note diplomatique de protestation et demandé que de tels actes ne se reproduisent pas.",
                    "L'association des pêcheurs appelle à soutenir les équipages pour qu'ils continuent de travailler en mer, conformément à la convention des Nations unies sur le droit de la mer de 1982.",
                ],
            },
            "zh": {
                "titles": [
                    "越南李山岛渔船在西沙群岛附近遭外国执法船袭击",
                    "越南外交部就渔民在黄沙群岛附近遇袭提出抗议",
                    "越南重申对黄沙群岛拥有主权",
                ],
                "body": [
                    "越南广义省李山岛一艘载有11名渔民的渔船在西沙群岛（越方称黄沙群岛）附近作业时，遭一艘外国执法船追赶并登船。",
                    "渔民们说，他们遭到殴打，渔获和渔具被全部没收，其中两人受伤。",
                    "越南外交部发言人在例行记者会上表示，越南拥有充分的法律依据和历史证据证明对黄沙群岛的主权。",
                    "发言人说，越南坚决反对上述行为，要求有关方面尊重越南的主权和越南渔民的合法权益。",
                    "越南外交部已递交抗议照会，要求不再发生类似行为。",
                    "越南渔业协会呼吁有关部门支持渔民依照1982年《联合国海洋法公约》继续出海作业。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам: рыболовецкое судно атаковано у Парасельских островов",
                    "Вьетнам выразил протест в связи с нападением на рыбаков у Хоангша",
                    "Вьетнам подтвердил суверенитет над Парасельскими островами",
                ],
                "body": [
                    "Рыболовецкое судно с острова Лишон провинции Куангнгай с 11 рыбаками на борту было остановлено и захвачено иностранным патрульным кораблём у Парасельских островов.",
                    "По словам рыбаков, их избили, отобрали улов и снаряжение; двое получили ранения.",
                    "Официальный представитель МИД Вьетнама на брифинге заявил, что Вьетнам располагает достаточными правовыми основаниями и историческими доказательствами суверенитета над архипелагом Хоангша.",
                    "Вьетнам решительно выступает против подобных действий и требует уважать его суверенитет и законные права вьетнамских рыбаков.",
                    "МИД вручил ноту протеста и потребовал не допускать повторения подобных инцидентов.",
                    "Ассоциация рыболовства Вьетнама призвала поддержать рыбаков, чтобы они продолжали промысел в соответствии с Конвенцией ООН по морскому праву 1982 года.",
                ],
            },
            "ja": {
                "titles": [
                    "ベトナム漁船、パラセル諸島付近で外国公船に襲撃される",
                    "ベトナム外務省、ホアンサ付近での漁民暴行に抗議",
                    "ベトナム、パラセル諸島の主権を改めて主張",
                ],
                "body": [
                    "ベトナム中部クアンガイ省リーソン島の漁船が、パラセル（ホアンサ）諸島付近で操業中、外国の公船に追跡され乗り込まれた。乗組員は11人だった。",
                    "漁民らは暴行を受け、漁獲物と漁具を奪われたと話しており、2人が負傷した。",
                    "ベトナム外務省の報道官は定例会見で、ベトナムはホアンサ諸島に対する主権を示す十分な法的根拠と歴史的証拠を有していると述べた。",
                    "報道官は、ベトナムはこの行為に断固反対し、主権とベトナム漁民の正当な権利を尊重するよう求めると強調した。",
                    "外務省は抗議の外交公文を手渡し、同様の行為を繰り返さないよう求めた。",
                    "ベトナム漁業協会は、1982年の国連海洋法条約に沿って漁民が操業を続けられるよう支援を呼びかけた。",
                ],
            },
            "es": {
                "titles": [
                    "Atacan un pesquero vietnamita cerca de las islas Paracel",
                    "Vietnam protesta por la agresión a sus pescadores",
                ],
                "body": [
                    "Un pesquero de la isla de Ly Son, en la provincia vietnamita de Quang Ngai, con 11 tripulantes, fue perseguido y abordado por un buque policial extranjero cerca de las islas Paracel.",
                    "Los pescadores denunciaron golpes y el decomiso de sus capturas y aparejos; dos resultaron heridos.",
                    "El portavoz del Ministerio de Asuntos Exteriores afirmó que Vietnam tiene base jurídica y pruebas históricas suficientes de su soberanía sobre el archipiélago de Hoang Sa.",
                    "Vietnam se opone firmemente a estos actos y exige respeto a su soberanía y a los derechos legítimos de sus pescadores.",
                    "El ministerio entregó una nota diplomática de protesta.",
                ],
            },
            "de": {
                "titles": [
                    "Vietnamesisches Fischerboot nahe den Paracel-Inseln überfallen",
                    "Vietnam protestiert gegen Angriff auf Fischer bei Hoang Sa",
                ],
                "body": [
                    "Ein Fischerboot von der Insel Ly Son in der vietnamesischen Provinz Quang Ngai mit elf Mann Besatzung ist nahe den Paracel-Inseln von einem ausländischen Behördenschiff verfolgt und geentert worden.",
                    "Die Fischer berichten, sie seien geschlagen und ihr Fang sowie ihre Ausrüstung beschlagnahmt worden; zwei wurden verletzt.",
                    "Der Sprecher des Außenministeriums erklärte, Vietnam verfüge über ausreichende rechtliche Grundlagen und historische Belege für seine Souveränität über den Hoang-Sa-Archipel.",
                    "Vietnam lehne das Vorgehen entschieden ab und verlange die Achtung seiner Souveränität und der Rechte seiner Fischer.",
                    "Das Ministerium übergab eine diplomatische Protestnote.",
                ],
            },
        },
    },
    {
        "id": "gdp-third-quarter",
        "start": 9.2,
        "end": 7.0,
        "narrative": {"id": "demo-n1", "langs": ["zh", "fr", "de", "es"]},
        "langs": {
            "vi": {
                "titles": [
                    "GDP quý III tăng 7,4%, cao nhất trong nhiều năm",
                    "Kinh tế Việt Nam 9 tháng tăng trưởng 7,1%, vốn FDI giải ngân kỷ lục",
                    "Công nghiệp chế biến, chế tạo dẫn dắt tăng trưởng kinh tế quý III",
                ],
                "body": [
                    "Theo Cục Thống kê, tổng sản phẩm trong nước (GDP) của Việt Nam quý III tăng 7,4% so với cùng kỳ năm trước.",
                    "Tính chung chín tháng, kinh tế Việt Nam tăng trưởng 7,1%, trong đó công nghiệp chế biến, chế tạo tăng gần 10%.",
                    "Vốn FDI giải ngân đạt 17,5 tỷ USD, tăng 8,5% và là mức cao nhất của chín tháng từ trước đến nay.",
                    "Kim ngạch xuất khẩu tăng khoảng 15%, trong khi chỉ số giá tiêu dùng bình quân chỉ tăng 3,3%.",
                    "Chính phủ đặt mục tiêu tăng trưởng cả năm đạt khoảng 8%.",
                    "Nhiều tổ chức quốc tế đã nâng dự báo tăng trưởng cho Việt Nam nhờ sức bật của sản xuất và xuất khẩu.",
                ],
            },
            "en": {
                "titles": [
                    "Vietnam's GDP grows 7.4% in third quarter",
                    "Vietnam posts 7.1% nine-month growth as FDI disbursement hits record",
                    "Manufacturing and exports power Vietnam's Q3 expansion",
                ],
                "body": [
                    "Vietnam's gross domestic product grew 7.4 percent in the third quarter from a year earlier, the National Statistics Office said.",
                    "Growth for the first nine months reached 7.1 percent, led by manufacturing, which expanded by almost 10 percent.",
                    "Disbursed foreign direct investment rose 8.5 percent to 17.5 billion dollars, a record for the period.",
                    "Exports climbed about 15 percent, while consumer prices rose an average of just 3.3 percent.",
                    "The government is targeting growth of around 8 percent for the full year.",
                    "Several international institutions have raised their forecasts for Vietnam on the strength of manufacturing and exports.",
                ],
            },
            "fr": {
                "titles": [
                    "Le PIB du Viêt Nam progresse de 7,4 % au troisième trimestre",
                    "Viêt Nam : 7,1 % de croissance sur neuf mois, IDE décaissés record",
                    "L'industrie et les exportations tirent la croissance vietnamienne",
                ],
                "body": [
                    "Le produit intérieur brut du Viêt Nam a progressé de 7,4 % au troisième trimestre sur un an, selon l'Office national de la statistique.",
                    "Sur les neuf premiers mois, la croissance atteint 7,1 %, portée par l'industrie manufacturière, en hausse de près de 10 %.",
                    "Les investissements directs étrangers décaissés ont augmenté de 8,5 %, à 17,5 milliards de dollars, un record pour la période.",
                    "Les exportations ont bondi d'environ 15 %, tandis que l'inflation moyenne s'est limitée à 3,3 %.",
                    "Le gouvernement vise une croissance d'environ 8 % sur l'ensemble de l'année.",
                    "Plusieurs institutions internationales ont relevé leurs prévisions pour le Viêt Nam.",
                ],
            },
            "zh": {
                "titles": [
                    "越南第三季度GDP同比增长7.4%",
                    "越南前三季度经济增长7.1% 外资到位额创新高",
                    "制造业和出口拉动越南第三季度经济增长",
                ],
                "body": [
                    "越南国家统计局公布，第三季度越南国内生产总值同比增长7.4%。",
                    "前九个月经济增长7.1%，其中加工制造业增长近10%。",
                    "外商直接投资到位资金达175亿美元，同比增长8.5%，创同期历史新高。",
                    "出口增长约15%，居民消费价格指数平均仅上涨3.3%。",
                    "越南政府提出全年经济增长约8%的目标。",
                    "多家国际机构因越南制造业和出口表现强劲而上调了对其经济增长的预测。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам: ВВП в третьем квартале вырос на 7,4%",
                    "Вьетнам показал рост экономики на 7,1% за девять месяцев",
                    "Вьетнам: промышленность и экспорт обеспечили рост в третьем квартале",
                ],
                "body": [
                    "Валовой внутренний продукт Вьетнама в третьем квартале вырос на 7,4% в годовом выражении, сообщило Национальное статистическое управление.",
                    "За девять месяцев рост составил 7,1%, главным локомотивом стала обрабатывающая промышленность, прибавившая почти 10%.",
                    "Освоенные прямые иностранные инвестиции выросли на 8,5%, до рекордных для этого периода 17,5 млрд долларов.",
                    "Экспорт увеличился примерно на 15%, а потребительские цены в среднем выросли лишь на 3,3%.",
                    "Правительство рассчитывает на рост около 8% по итогам года.",
                    "Ряд международных организаций повысили прогнозы для Вьетнама.",
                ],
            },
            "ja": {
                "titles": [
                    "ベトナムの7～9月期GDP、前年同期比7.4％増",
                    "ベトナム経済、1～9月は7.1％成長　外資実行額は過去最高",
                    "製造業と輸出がベトナムの成長をけん引",
                ],
                "body": [
                    "ベトナム国家統計局によると、7～9月期の国内総生産（GDP）は前年同期比7.4％増加した。",
                    "1～9月の成長率は7.1％で、製造業が10％近く伸びて全体をけん引した。",
                    "外国直接投資の実行額は8.5％増の175億ドルと、同期間として過去最高を記録した。",
                    "輸出は約15％増加し、消費者物価の上昇率は平均3.3％にとどまった。",
                    "政府は通年で8％前後の成長を目標に掲げている。",
                    "複数の国際機関が製造業と輸出の好調を受けてベトナムの成長見通しを引き上げた。",
                ],
            },
            "es": {
                "titles": [
                    "El PIB de Vietnam crece un 7,4 % en el tercer trimestre",
                    "Vietnam registra un récord de inversión extranjera desembolsada",
                ],
                "body": [
                    "El producto interior bruto de Vietnam creció un 7,4 % interanual en el tercer trimestre, según la Oficina Nacional de Estadística.",
                    "En los nueve primeros meses el crecimiento fue del 7,1 %, impulsado por la industria manufacturera.",
                    "La inversión extranjera directa desembolsada subió un 8,5 %, hasta 17.500 millones de dólares, un récord.",
                    "Las exportaciones aumentaron alrededor de un 15 % y la inflación media se quedó en el 3,3 %.",
                    "El Gobierno aspira a un crecimiento cercano al 8 % en el conjunto del año.",
                ],
            },
            "de": {
                "titles": [
                    "Vietnams Wirtschaft wächst im dritten Quartal um 7,4 Prozent",
                    "Vietnam meldet Rekord bei ausgezahlten Auslandsinvestitionen",
                ],
                "body": [
                    "Das Bruttoinlandsprodukt in Vietnam ist im dritten Quartal im Jahresvergleich um 7,4 Prozent gewachsen, teilte das Nationale Statistikamt mit.",
                    "In den ersten neun Monaten lag das Wachstum bei 7,1 Prozent, getragen von der verarbeitenden Industrie.",
                    "Die ausgezahlten ausländischen Direktinvestitionen stiegen um 8,5 Prozent auf den Rekordwert von 17,5 Milliarden Dollar.",
                    "Die Exporte legten um rund 15 Prozent zu, die Inflation lag im Schnitt bei 3,3 Prozent.",
                    "Die Regierung strebt für das Gesamtjahr rund acht Prozent Wachstum an.",
                ],
            },
        },
    },
]
