# ruff: noqa: E501
"""Demo corpus material, stories 1–5: titles and body sentences per language.

Everything here is written for the TTĐN demo: the events, companies, outlets and figures
are invented (plausible, but not reports of real events). See ``make_demo_corpus.py``.
"""

from __future__ import annotations

STORIES = [
    {
        "id": "state-visit-chile",
        "start": 29.0,
        "end": 26.6,
        "langs": {
            "vi": {
                "titles": [
                    "Tổng thống Chile bắt đầu chuyến thăm cấp Nhà nước tới Việt Nam",
                    "Việt Nam và Chile nâng cấp quan hệ lên Đối tác toàn diện",
                    "Lễ đón chính thức Tổng thống Chile tại Phủ Chủ tịch, Hà Nội",
                ],
                "body": [
                    "Chiều qua, Tổng thống Chile đã tới Hà Nội, bắt đầu chuyến thăm cấp Nhà nước ba ngày tới Việt Nam theo lời mời của Chủ tịch nước.",
                    "Sau hội đàm, hai nhà lãnh đạo tuyên bố nâng cấp quan hệ Việt Nam – Chile lên Đối tác toàn diện.",
                    "Hai bên đã ký tám văn kiện hợp tác về thương mại, khai khoáng, giáo dục, nông nghiệp và năng lượng tái tạo.",
                    "Kim ngạch thương mại song phương hiện đạt khoảng 2 tỷ USD và hai nước đặt mục tiêu 3 tỷ USD vào năm 2030.",
                    "Chile là quốc gia Mỹ Latinh đầu tiên ký hiệp định thương mại tự do với Việt Nam, từ năm 2011.",
                    "Trong chương trình thăm, Tổng thống Chile sẽ dự diễn đàn doanh nghiệp hai nước tại Thành phố Hồ Chí Minh.",
                ],
            },
            "en": {
                "titles": [
                    "Chilean President arrives in Hanoi for three-day state visit to Vietnam",
                    "Vietnam and Chile upgrade ties to Comprehensive Partnership",
                    "Chile's leader seeks deeper trade and mining links with Vietnam",
                ],
                "body": [
                    "The President of Chile arrived in Hanoi on Monday for a three-day state visit to Vietnam at the invitation of Vietnam's President.",
                    "After talks at the Presidential Palace, the two leaders announced that relations would be raised to a Comprehensive Partnership.",
                    "Officials signed eight cooperation documents covering trade, mining, education, agriculture and renewable energy.",
                    "Two-way trade stands at about 2 billion US dollars, and both sides aim to reach 3 billion dollars by 2030.",
                    "Chile became the first Latin American country to sign a free trade agreement with Vietnam, in 2011.",
                    "The Chilean delegation, which includes dozens of business leaders, will also attend an investment forum in Ho Chi Minh City.",
                ],
            },
            "fr": {
                "titles": [
                    "Le président chilien en visite d'État au Viêt Nam",
                    "Le Viêt Nam et le Chili élèvent leurs relations au rang de partenariat global",
                    "Commerce, mines et énergies renouvelables au menu de la visite chilienne à Hanoï",
                ],
                "body": [
                    "Le président du Chili est arrivé lundi à Hanoï pour une visite d'État de trois jours au Viêt Nam, à l'invitation du président vietnamien.",
                    "À l'issue des entretiens au Palais présidentiel, les deux dirigeants ont annoncé l'élévation des relations au rang de partenariat global.",
                    "Huit documents de coopération ont été signés dans le commerce, les mines, l'éducation, l'agriculture et les énergies renouvelables.",
                    "Les échanges bilatéraux avoisinent 2 milliards de dollars, et les deux pays visent 3 milliards d'ici 2030.",
                    "Le Chili fut en 2011 le premier pays d'Amérique latine à conclure un accord de libre-échange avec le Viêt Nam.",
                    "Le président chilien doit également participer à un forum d'affaires à Hô Chi Minh-Ville avant de quitter le pays.",
                ],
            },
            "zh": {
                "titles": [
                    "智利总统抵达河内 开始对越南进行国事访问",
                    "越南与智利将双边关系提升为全面伙伴关系",
                    "越智签署八项合作文件 涵盖贸易矿业与可再生能源",
                ],
                "body": [
                    "应越南国家主席邀请，智利总统周一抵达河内，开始对越南进行为期三天的国事访问。",
                    "双方在河内主席府举行会谈后宣布，将越南与智利关系提升为全面伙伴关系。",
                    "两国签署了八项合作文件，涉及贸易、矿业、教育、农业和可再生能源等领域。",
                    "目前两国双边贸易额约为20亿美元，双方力争到2030年达到30亿美元。",
                    "智利于2011年成为首个与越南签署自由贸易协定的拉美国家。",
                    "访问期间，智利总统还将出席在胡志明市举行的两国企业论坛。",
                ],
            },
            "ru": {
                "titles": [
                    "Президент Чили прибыл во Вьетнам с государственным визитом",
                    "Вьетнам и Чили вывели отношения на уровень всеобъемлющего партнёрства",
                    "Вьетнам и Чили подписали восемь документов о сотрудничестве",
                ],
                "body": [
                    "Президент Чили в понедельник прибыл в Ханой с трёхдневным государственным визитом по приглашению президента Вьетнама.",
                    "По итогам переговоров в Президентском дворце стороны объявили о повышении уровня отношений до всеобъемлющего партнёрства.",
                    "Подписаны восемь документов о сотрудничестве в торговле, горнодобывающей отрасли, образовании, сельском хозяйстве и возобновляемой энергетике.",
                    "Товарооборот двух стран составляет около 2 млрд долларов, к 2030 году стороны рассчитывают довести его до 3 млрд.",
                    "Чили ещё в 2011 году стала первой страной Латинской Америки, подписавшей соглашение о свободной торговле с Вьетнамом.",
                    "Вьетнам и Чили также проведут деловой форум в Хошимине, который посетит чилийский лидер.",
                ],
            },
            "ja": {
                "titles": [
                    "チリ大統領がハノイ到着、ベトナムを国賓訪問",
                    "ベトナムとチリ、「包括的パートナーシップ」に関係格上げ",
                    "ベトナム・チリ首脳会談　貿易や鉱業など8文書に署名",
                ],
                "body": [
                    "チリの大統領は月曜日、ベトナム国家主席の招きでハノイに到着し、3日間の国賓訪問を開始した。",
                    "大統領府での会談後、両首脳は両国関係を包括的パートナーシップに格上げすると発表した。",
                    "両国は貿易、鉱業、教育、農業、再生可能エネルギーの分野で8件の協力文書に署名した。",
                    "両国間の貿易額は約20億ドルで、2030年までに30億ドルに引き上げる目標を掲げた。",
                    "チリは2011年、中南米で初めてベトナムと自由貿易協定を結んだ国である。",
                    "大統領は滞在中、ホーチミン市で開かれる両国のビジネスフォーラムにも出席する予定だ。",
                ],
            },
            "es": {
                "titles": [
                    "El presidente de Chile inicia una visita de Estado a Vietnam",
                    "Chile y Vietnam elevan su relación a Asociación Integral",
                ],
                "body": [
                    "El presidente de Chile llegó el lunes a Hanói para una visita de Estado de tres días a Vietnam, por invitación del presidente vietnamita.",
                    "Tras las conversaciones en el Palacio Presidencial, ambos mandatarios anunciaron que la relación bilateral se eleva a Asociación Integral.",
                    "Se firmaron ocho documentos de cooperación en comercio, minería, educación, agricultura y energías renovables.",
                    "El intercambio comercial ronda los 2.000 millones de dólares y ambos países aspiran a llegar a 3.000 millones en 2030.",
                    "Chile fue en 2011 el primer país latinoamericano en firmar un tratado de libre comercio con Vietnam.",
                ],
            },
            "de": {
                "titles": [
                    "Chiles Präsident zu Staatsbesuch in Vietnam eingetroffen",
                    "Vietnam und Chile vereinbaren umfassende Partnerschaft",
                ],
                "body": [
                    "Der Präsident Chiles ist am Montag zu einem dreitägigen Staatsbesuch in Vietnam in Hanoi eingetroffen.",
                    "Nach Gesprächen im Präsidentenpalast kündigten beide Staatschefs an, die Beziehungen zu einer umfassenden Partnerschaft aufzuwerten.",
                    "Unterzeichnet wurden acht Kooperationsabkommen zu Handel, Bergbau, Bildung, Landwirtschaft und erneuerbaren Energien.",
                    "Der bilaterale Handel liegt bei rund zwei Milliarden US-Dollar; bis 2030 sollen es drei Milliarden werden.",
                    "Chile hatte 2011 als erstes Land Lateinamerikas ein Freihandelsabkommen mit Vietnam unterzeichnet.",
                ],
            },
        },
    },
    {
        "id": "rice-exports",
        "start": 27.2,
        "end": 24.8,
        "narrative": {"id": "demo-n5", "langs": ["en", "zh", "ja", "fr"]},
        "langs": {
            "vi": {
                "titles": [
                    "Xuất khẩu gạo 10 tháng đạt 7,9 triệu tấn, thu về 4,6 tỷ USD",
                    "Gạo Việt Nam giữ vững thị trường Philippines, mở rộng sang châu Phi",
                    "Giá gạo thơm ST25 xuất khẩu tiếp tục ở mức cao",
                ],
                "body": [
                    "Theo số liệu mới công bố, mười tháng đầu năm Việt Nam xuất khẩu khoảng 7,9 triệu tấn gạo, trị giá 4,6 tỷ USD, tăng 6% về lượng so với cùng kỳ.",
                    "Philippines tiếp tục là thị trường lớn nhất, chiếm gần 40% lượng gạo xuất khẩu của Việt Nam.",
                    "Indonesia, Ghana, Bờ Biển Ngà và Trung Quốc cũng tăng mua gạo Việt Nam trong những tháng gần đây.",
                    "Giá xuất khẩu bình quân đạt khoảng 580 USD mỗi tấn, trong đó gạo thơm ST25 được bán với giá cao hơn hẳn.",
                    "Bộ Nông nghiệp và Môi trường dự báo cả năm xuất khẩu gạo có thể vượt 9 triệu tấn.",
                    "Đồng bằng sông Cửu Long đóng góp hơn một nửa sản lượng lúa gạo của cả nước.",
                ],
            },
            "en": {
                "titles": [
                    "Vietnam's rice exports reach 7.9 million tonnes in ten months",
                    "Philippines remains top buyer as Vietnam rice shipments rise 6%",
                    "Vietnamese fragrant rice commands premium prices abroad",
                ],
                "body": [
                    "Vietnam exported about 7.9 million tonnes of rice in the first ten months of the year, worth 4.6 billion US dollars, according to official data.",
                    "Shipment volumes rose 6 percent from a year earlier, with the Philippines buying almost 40 percent of the total.",
                    "Indonesia, Ghana, Ivory Coast and China have also stepped up purchases of Vietnamese rice in recent months.",
                    "The average export price was around 580 dollars a tonne, and fragrant varieties such as ST25 sold at a clear premium.",
                    "The Ministry of Agriculture and Environment expects full-year exports to exceed 9 million tonnes.",
                    "The Mekong Delta grows more than half of Vietnam's rice, and traders say demand from Africa is rising fastest.",
                ],
            },
            "fr": {
                "titles": [
                    "Le Viêt Nam a exporté 7,9 millions de tonnes de riz en dix mois",
                    "Riz : les Philippines restent le premier client du Viêt Nam",
                    "Le riz parfumé vietnamien ST25 se vend au prix fort",
                ],
                "body": [
                    "Le Viêt Nam a exporté environ 7,9 millions de tonnes de riz au cours des dix premiers mois de l'année, pour 4,6 milliards de dollars, selon les chiffres officiels.",
                    "Les volumes progressent de 6 % sur un an et les Philippines absorbent près de 40 % des expéditions.",
                    "L'Indonésie, le Ghana, la Côte d'Ivoire et la Chine ont eux aussi augmenté leurs achats de riz vietnamien.",
                    "Le prix moyen à l'exportation tourne autour de 580 dollars la tonne, les variétés parfumées comme le ST25 étant nettement mieux payées.",
                    "Le ministère de l'Agriculture et de l'Environnement prévoit plus de 9 millions de tonnes exportées sur l'ensemble de l'année.",
                    "Le delta du Mékong fournit plus de la moitié de la production rizicole du Viêt Nam.",
                ],
            },
            "zh": {
                "titles": [
                    "越南前十个月大米出口790万吨 创汇46亿美元",
                    "菲律宾仍是越南大米最大买家",
                    "越南ST25香米出口价格保持高位",
                ],
                "body": [
                    "官方数据显示，今年前十个月越南大米出口约790万吨，出口额46亿美元。",
                    "出口量同比增长6%，其中菲律宾进口量占越南大米出口总量的近40%。",
                    "印度尼西亚、加纳、科特迪瓦和中国近几个月也增加了对越南大米的采购。",
                    "越南大米平均出口价格约为每吨580美元，ST25等香米品种价格明显更高。",
                    "越南农业与环境部预计，全年大米出口量有望超过900万吨。",
                    "湄公河三角洲贡献了越南一半以上的稻米产量。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам за десять месяцев экспортировал 7,9 млн тонн риса",
                    "Вьетнам наращивает поставки риса на Филиппины и в Африку",
                    "Вьетнам продаёт ароматный рис ST25 с надбавкой",
                ],
                "body": [
                    "По официальным данным, за первые десять месяцев года Вьетнам экспортировал около 7,9 млн тонн риса на сумму 4,6 млрд долларов.",
                    "Объём поставок вырос на 6% в годовом выражении, почти 40% риса закупили Филиппины.",
                    "Индонезия, Гана, Кот-д'Ивуар и Китай в последние месяцы также увеличили закупки вьетнамского риса.",
                    "Средняя экспортная цена составила около 580 долларов за тонну, а ароматные сорта, такие как ST25, продаются заметно дороже.",
                    "Министерство сельского хозяйства и окружающей среды ожидает, что по итогам года экспорт превысит 9 млн тонн.",
                    "Дельта Меконга даёт более половины урожая риса, который выращивает Вьетнам.",
                ],
            },
            "ja": {
                "titles": [
                    "ベトナムのコメ輸出、1～10月で790万トン",
                    "ベトナム産米、最大の輸出先はフィリピン",
                    "ベトナムの香り米「ST25」、高値で取引",
                ],
                "body": [
                    "公式統計によると、ベトナムの1～10月のコメ輸出量は約790万トン、輸出額は46億ドルに達した。",
                    "輸出量は前年同期比6％増で、フィリピン向けが全体の4割近くを占めた。",
                    "インドネシア、ガーナ、コートジボワール、中国もベトナム産米の購入を増やしている。",
                    "平均輸出価格は1トン当たり約580ドルで、ST25などの香り米は一段と高い価格で売れている。",
                    "ベトナム農業環境省は、通年の輸出量が900万トンを超えると見込んでいる。",
                    "メコンデルタはベトナムのコメ生産量の半分以上を担っている。",
                ],
            },
            "es": {
                "titles": [
                    "Vietnam exporta 7,9 millones de toneladas de arroz en diez meses",
                    "Filipinas sigue siendo el mayor comprador de arroz vietnamita",
                ],
                "body": [
                    "Vietnam exportó unos 7,9 millones de toneladas de arroz en los diez primeros meses del año, por valor de 4.600 millones de dólares.",
                    "El volumen creció un 6 % interanual y Filipinas compró casi el 40 % del total.",
                    "El precio medio de exportación rondó los 580 dólares por tonelada, con una prima para variedades aromáticas como la ST25.",
                    "El Ministerio de Agricultura y Medio Ambiente de Vietnam prevé superar los 9 millones de toneladas en todo el año.",
                    "Indonesia, Ghana, Costa de Marfil y China también aumentaron sus compras de arroz vietnamita.",
                ],
            },
            "de": {
                "titles": [
                    "Vietnam exportiert in zehn Monaten 7,9 Millionen Tonnen Reis",
                    "Philippinen bleiben größter Abnehmer von Reis aus Vietnam",
                ],
                "body": [
                    "Vietnam hat in den ersten zehn Monaten des Jahres rund 7,9 Millionen Tonnen Reis im Wert von 4,6 Milliarden US-Dollar ausgeführt.",
                    "Die Menge stieg um sechs Prozent, fast 40 Prozent gingen auf die Philippinen.",
                    "Der durchschnittliche Exportpreis lag bei etwa 580 Dollar je Tonne; Duftreis wie ST25 erzielt deutlich mehr.",
                    "Das Ministerium für Landwirtschaft und Umwelt in Vietnam erwartet für das Gesamtjahr mehr als neun Millionen Tonnen.",
                    "Auch Indonesien, Ghana, die Elfenbeinküste und China kaufen mehr Reis aus Vietnam.",
                ],
            },
        },
    },
    {
        "id": "peacekeeping-hospital",
        "start": 26.0,
        "end": 23.6,
        "langs": {
            "vi": {
                "titles": [
                    "Bệnh viện dã chiến cấp 2 số 7 lên đường làm nhiệm vụ gìn giữ hòa bình",
                    "Việt Nam cử 63 quân nhân tới Nam Sudan tham gia phái bộ Liên Hợp Quốc",
                    "Lễ xuất quân lực lượng gìn giữ hòa bình Liên Hợp Quốc tại Hà Nội",
                ],
                "body": [
                    "Sáng nay tại Hà Nội, Bộ Quốc phòng tổ chức lễ xuất quân Bệnh viện dã chiến cấp 2 số 7 đi làm nhiệm vụ gìn giữ hòa bình tại Nam Sudan.",
                    "Bệnh viện gồm 63 cán bộ, nhân viên, trong đó có 10 nữ quân nhân, sẽ làm việc một năm tại Bentiu thuộc phái bộ UNMISS.",
                    "Lực lượng này có nhiệm vụ khám chữa bệnh cho nhân viên Liên Hợp Quốc và hỗ trợ y tế cho người dân địa phương.",
                    "Từ năm 2014 đến nay, Việt Nam đã cử hơn 1.000 lượt cán bộ, quân nhân tham gia các phái bộ gìn giữ hòa bình của Liên Hợp Quốc.",
                    "Các bệnh viện dã chiến trước đây của Việt Nam được Liên Hợp Quốc đánh giá cao về chuyên môn và tinh thần trách nhiệm.",
                    "Trang thiết bị của bệnh viện đã được vận chuyển bằng đường biển tới Nam Sudan từ trước.",
                ],
            },
            "en": {
                "titles": [
                    "Vietnam sends seventh field hospital to UN mission in South Sudan",
                    "63 Vietnamese medics, including 10 women, deploy to Bentiu",
                    "Vietnam deepens UN peacekeeping role with new medical rotation",
                ],
                "body": [
                    "Vietnam's Ministry of National Defence held a send-off ceremony in Hanoi for its seventh Level-2 Field Hospital bound for the UN mission in South Sudan.",
                    "The 63-member unit, which includes 10 women, will serve for a year in Bentiu under the UNMISS mission.",
                    "Its doctors and nurses will treat UN personnel and support health care for local communities.",
                    "Since 2014, Vietnam has deployed more than 1,000 personnel to United Nations peacekeeping operations.",
                    "UN officials have praised earlier Vietnamese field hospitals for their professionalism.",
                    "The hospital's equipment was shipped to South Sudan by sea ahead of the medical staff.",
                ],
            },
            "fr": {
                "titles": [
                    "Le Viêt Nam envoie un septième hôpital de campagne au Soudan du Sud",
                    "Maintien de la paix : 63 soignants vietnamiens partent pour Bentiu",
                    "Casques bleus : le Viêt Nam renforce sa présence auprès de l'ONU",
                ],
                "body": [
                    "Le ministère vietnamien de la Défense a organisé à Hanoï la cérémonie de départ de son septième hôpital de campagne de niveau 2 pour la mission de l'ONU au Soudan du Sud.",
                    "L'unité de 63 personnes, dont 10 femmes, servira un an à Bentiu au sein de la MINUSS.",
                    "Ses médecins et infirmiers soigneront le personnel onusien et appuieront les soins aux populations locales.",
                    "Depuis 2014, le Viêt Nam a déployé plus de 1 000 militaires et policiers dans les opérations de maintien de la paix des Nations unies.",
                    "Les précédents hôpitaux vietnamiens ont été salués par l'ONU pour leur professionnalisme.",
                    "Le matériel médical a été acheminé par la mer vers le Soudan du Sud avant l'arrivée des équipes.",
                ],
            },
            "zh": {
                "titles": [
                    "越南第七批二级野战医院赴南苏丹执行维和任务",
                    "63名越南医护人员前往本提乌 其中包括10名女性",
                    "越南持续参与联合国维和行动",
                ],
                "body": [
                    "越南国防部在河内为第七批二级野战医院举行出征仪式，该医院将赴南苏丹参加联合国维和行动。",
                    "这支63人的队伍中有10名女性，将在联合国南苏丹特派团驻本提乌营地工作一年。",
                    "医护人员将为联合国人员提供诊疗服务，并为当地民众提供医疗支持。",
                    "自2014年以来，越南已派遣1000多人次参加联合国维和行动。",
                    "越南此前派出的野战医院因专业水平高而受到联合国的好评。",
                    "医院的医疗设备已提前经海路运抵南苏丹。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам направил седьмой полевой госпиталь в Южный Судан",
                    "Вьетнам отправляет 63 военных медика в миссию ООН",
                    "Вьетнам расширяет участие в миротворческих операциях ООН",
                ],
                "body": [
                    "Министерство национальной обороны Вьетнама провело в Ханое церемонию отправки седьмого полевого госпиталя второго уровня в миссию ООН в Южном Судане.",
                    "В состав госпиталя входят 63 человека, в том числе 10 женщин; они прослужат год в Бентиу в рамках миссии МООНЮС.",
                    "Врачи будут лечить персонал ООН и оказывать медицинскую помощь местным жителям.",
                    "С 2014 года Вьетнам направил в миротворческие операции ООН более 1000 военнослужащих.",
                    "Предыдущие вьетнамские госпитали получили высокую оценку ООН за профессионализм.",
                    "Оборудование госпиталя заранее доставлено в Южный Судан морем.",
                ],
            },
            "ja": {
                "titles": [
                    "ベトナム、第7次野戦病院を南スーダンへ派遣",
                    "ベトナムの医療要員63人、国連南スーダン派遣団に参加",
                    "ベトナム、国連平和維持活動への貢献を拡大",
                ],
                "body": [
                    "ベトナム国防省はハノイで、国連南スーダン派遣団に参加する第7次レベル2野戦病院の出発式を行った。",
                    "女性10人を含む63人の要員が、ベンティウで1年間任務にあたる。",
                    "医師や看護師は国連職員の診療に加え、地元住民への医療支援も行う。",
                    "ベトナムは2014年以降、国連平和維持活動に延べ1000人以上を派遣してきた。",
                    "これまでに派遣されたベトナムの野戦病院は、国連から高い専門性を評価されている。",
                    "病院の医療機材は要員の出発に先立ち、海路で南スーダンに運ばれた。",
                ],
            },
            "es": {
                "titles": [
                    "Vietnam envía su séptimo hospital de campaña a Sudán del Sur",
                    "63 sanitarios vietnamitas se suman a la misión de la ONU",
                ],
                "body": [
                    "El Ministerio de Defensa de Vietnam despidió en Hanói a su séptimo hospital de campaña de nivel 2, destinado a la misión de la ONU en Sudán del Sur.",
                    "La unidad de 63 miembros, entre ellos 10 mujeres, servirá un año en Bentiu.",
                    "Sus médicos atenderán al personal de la ONU y apoyarán la atención sanitaria de la población local.",
                    "Desde 2014, Vietnam ha desplegado a más de 1.000 efectivos en operaciones de paz de las Naciones Unidas.",
                    "Los hospitales vietnamitas anteriores recibieron elogios de la ONU por su profesionalidad.",
                ],
            },
            "de": {
                "titles": [
                    "Vietnam schickt siebtes Feldlazarett in den Südsudan",
                    "63 vietnamesische Sanitäter für UN-Mission in Bentiu",
                ],
                "body": [
                    "Das vietnamesische Verteidigungsministerium hat in Hanoi sein siebtes Feldlazarett der Stufe 2 für die UN-Mission im Südsudan verabschiedet.",
                    "Die 63-köpfige Einheit, darunter zehn Frauen, wird ein Jahr lang in Bentiu Dienst tun.",
                    "Die Ärzte sollen UN-Personal versorgen und die Gesundheitsversorgung der Bevölkerung unterstützen.",
                    "Seit 2014 hat Vietnam mehr als 1.000 Soldaten und Polizisten in UN-Friedensmissionen entsandt.",
                    "Frühere Lazarette aus Vietnam wurden von den Vereinten Nationen für ihre Professionalität gelobt.",
                ],
            },
        },
    },
    {
        "id": "typhoon-mira",
        "start": 24.2,
        "end": 21.0,
        "narrative": {"id": "demo-n2", "langs": ["en", "fr", "zh", "ru", "ja", "es"]},
        "langs": {
            "vi": {
                "titles": [
                    "Bão số 9 (Mira) đổ bộ vào Quảng Ngãi – Gia Lai, gió giật cấp 14",
                    "Bão Mira làm 14 người chết, 6 người mất tích ở miền Trung",
                    "Miền Trung khắc phục hậu quả bão, quốc tế gửi hỗ trợ",
                ],
                "body": [
                    "Đêm qua, bão số 9, tên quốc tế là Mira, đã đổ bộ vào vùng ven biển Quảng Ngãi – Gia Lai với sức gió tới 150 km/h.",
                    "Trước khi bão vào, chính quyền các địa phương đã sơ tán khoảng 320.000 người đến nơi an toàn.",
                    "Theo Ban Chỉ đạo quốc gia về phòng, chống thiên tai, bão đã làm 14 người chết, 6 người mất tích và hơn 2.100 ngôi nhà bị hư hại.",
                    "Mưa lớn tới 400 mm gây ngập lụt diện rộng, nhiều khu vực ở Quy Nhơn bị mất điện.",
                    "Hơn 12.000 cán bộ, chiến sĩ quân đội và công an đã được huy động để cứu hộ và giúp dân dọn dẹp.",
                    "Nhật Bản, Hàn Quốc và Liên minh châu Âu đã thông báo viện trợ khẩn cấp cho người dân vùng bão ở Việt Nam.",
                ],
            },
            "en": {
                "titles": [
                    "Typhoon Mira slams into central Vietnam with 150 km/h winds",
                    "Typhoon Mira kills 14 in Vietnam, six missing",
                    "Central Vietnam cleans up after Typhoon Mira as aid arrives",
                ],
                "body": [
                    "Typhoon Mira, Vietnam's ninth storm of the season, made landfall overnight on the coast of Quang Ngai and Gia Lai with winds of up to 150 kilometres per hour.",
                    "Authorities evacuated about 320,000 people from low-lying and coastal areas before the storm arrived.",
                    "The national disaster steering committee said 14 people had died, six were missing and more than 2,100 houses were damaged.",
                    "Rainfall of up to 400 millimetres caused widespread flooding, and parts of Quy Nhon were left without power.",
                    "More than 12,000 soldiers and police officers were deployed for rescue and clean-up work.",
                    "Japan, South Korea and the European Union announced emergency aid for families in Vietnam hit by the typhoon.",
                ],
            },
            "fr": {
                "titles": [
                    "Le typhon Mira frappe le centre du Viêt Nam",
                    "Typhon Mira : 14 morts et six disparus au Viêt Nam",
                    "Après le typhon Mira, le centre du Viêt Nam panse ses plaies",
                ],
                "body": [
                    "Le typhon Mira, neuvième tempête de la saison au Viêt Nam, a touché terre dans la nuit sur le littoral de Quang Ngai et de Gia Lai, avec des vents atteignant 150 km/h.",
                    "Les autorités avaient évacué quelque 320 000 personnes des zones côtières et basses avant l'arrivée de la tempête.",
                    "Selon le comité national de prévention des catastrophes, le bilan s'élève à 14 morts, six disparus et plus de 2 100 maisons endommagées.",
                    "Des pluies allant jusqu'à 400 millimètres ont provoqué des inondations étendues et privé d'électricité une partie de Quy Nhon.",
                    "Plus de 12 000 soldats et policiers ont été mobilisés pour les secours et le déblaiement.",
                    "Le Japon, la Corée du Sud et l'Union européenne ont annoncé une aide d'urgence aux sinistrés.",
                ],
            },
            "zh": {
                "titles": [
                    "台风“米拉”登陆越南中部 最大风速每小时150公里",
                    "台风“米拉”致越南14人死亡6人失踪",
                    "越南中部灾后重建 国际援助陆续抵达",
                ],
                "body": [
                    "今年第九号台风“米拉”于夜间在越南广义省和嘉莱省沿海登陆，最大风速达每小时150公里。",
                    "台风来临前，当地政府已将约32万名居民转移至安全地带。",
                    "越南国家防灾指导委员会表示，台风已造成14人死亡、6人失踪，2100多间房屋受损。",
                    "最大降雨量达400毫米，引发大范围洪涝，归仁市部分地区停电。",
                    "越南出动了1.2万多名军人和警察参与救援和清理工作。",
                    "日本、韩国和欧盟已宣布向受灾民众提供紧急援助。",
                ],
            },
            "ru": {
                "titles": [
                    "Тайфун «Мира» обрушился на центральный Вьетнам",
                    "Вьетнам: жертвами тайфуна «Мира» стали 14 человек",
                    "Вьетнам ликвидирует последствия тайфуна, прибывает помощь",
                ],
                "body": [
                    "Тайфун «Мира», девятый шторм сезона во Вьетнаме, ночью обрушился на побережье провинций Куангнгай и Залай с ветром до 150 км/ч.",
                    "Власти заранее эвакуировали около 320 тысяч жителей прибрежных и низменных районов.",
                    "По данным национального комитета по предотвращению стихийных бедствий, погибли 14 человек, шестеро пропали без вести, повреждено более 2100 домов.",
                    "Ливни до 400 мм вызвали масштабные наводнения, часть города Куинён осталась без электричества.",
                    "К спасательным работам привлечены более 12 тысяч военных и полицейских.",
                    "Япония, Южная Корея и Евросоюз объявили об экстренной помощи пострадавшим.",
                ],
            },
            "ja": {
                "titles": [
                    "台風「ミラ」、ベトナム中部に上陸　最大風速150キロ",
                    "ベトナム中部の台風被害、死者14人・不明6人",
                    "台風一過のベトナム中部、復旧作業と国際支援",
                ],
                "body": [
                    "今季9号の台風「ミラ」は夜間、ベトナム中部のクアンガイ省とザライ省の沿岸に上陸し、最大で時速150キロの風を記録した。",
                    "当局は上陸前に沿岸部や低地の住民約32万人を避難させた。",
                    "ベトナム国家防災指導委員会によると、14人が死亡、6人が行方不明となり、2100棟以上の家屋が損壊した。",
                    "最大400ミリの豪雨で広い範囲が浸水し、クイニョン市の一部で停電が続いた。",
                    "軍と警察の1万2000人以上が救助と復旧作業に投入された。",
                    "日本、韓国、欧州連合は被災者への緊急支援を表明した。",
                ],
            },
            "es": {
                "titles": [
                    "El tifón Mira golpea el centro de Vietnam",
                    "El tifón Mira deja 14 muertos en Vietnam",
                ],
                "body": [
                    "El tifón Mira, la novena tormenta de la temporada en Vietnam, tocó tierra de madrugada en la costa de Quang Ngai y Gia Lai con vientos de hasta 150 km/h.",
                    "Las autoridades evacuaron a unas 320.000 personas antes de la llegada del tifón.",
                    "El comité nacional de desastres informó de 14 muertos, seis desaparecidos y más de 2.100 viviendas dañadas.",
                    "Lluvias de hasta 400 milímetros causaron inundaciones y dejaron sin electricidad parte de Quy Nhon.",
                    "Japón, Corea del Sur y la Unión Europea anunciaron ayuda de emergencia para los damnificados.",
                ],
            },
            "de": {
                "titles": [
                    "Taifun Mira trifft Zentralvietnam mit 150 km/h",
                    "Taifun Mira: 14 Tote und sechs Vermisste in Vietnam",
                ],
                "body": [
                    "Taifun Mira, der neunte Sturm der Saison in Vietnam, ist in der Nacht an der Küste von Quang Ngai und Gia Lai mit Windgeschwindigkeiten bis 150 km/h auf Land getroffen.",
                    "Die Behörden hatten rund 320.000 Menschen aus Küsten- und Niederungsgebieten in Sicherheit gebracht.",
                    "Nach Angaben des nationalen Katastrophenschutzkomitees kamen 14 Menschen ums Leben, sechs werden vermisst, über 2.100 Häuser wurden beschädigt.",
                    "Bis zu 400 Millimeter Regen lösten Überschwemmungen aus, Teile von Quy Nhon waren ohne Strom.",
                    "Japan, Südkorea und die Europäische Union kündigten Soforthilfe für die Betroffenen an.",
                ],
            },
        },
    },
    {
        "id": "chip-plant-bac-ninh",
        "start": 22.6,
        "end": 20.2,
        "narrative": {"id": "demo-n1", "langs": ["en", "ru", "ja", "vi"]},
        "langs": {
            "vi": {
                "titles": [
                    "Aurelon Semiconductor đầu tư 2,1 tỷ USD xây nhà máy chip tại Bắc Ninh",
                    "Bắc Ninh trao giấy chứng nhận đầu tư dự án đóng gói và kiểm thử chip",
                    "Dự án bán dẫn mới sẽ tạo 4.500 việc làm cho lao động Việt Nam",
                ],
                "body": [
                    "Tập đoàn Aurelon Semiconductor vừa nhận giấy chứng nhận đầu tư dự án nhà máy đóng gói và kiểm thử chip trị giá 2,1 tỷ USD tại Bắc Ninh.",
                    "Nhà máy dự kiến đi vào sản xuất năm 2027 và tạo khoảng 4.500 việc làm, phần lớn là kỹ sư và kỹ thuật viên.",
                    "Đây là một trong những dự án bán dẫn lớn nhất từng được cấp phép tại Việt Nam.",
                    "Lãnh đạo doanh nghiệp cho biết họ chọn Việt Nam nhờ môi trường chính trị ổn định, nguồn nhân lực trẻ và hạ tầng khu công nghiệp tốt.",
                    "Việt Nam đặt mục tiêu đào tạo 50.000 kỹ sư bán dẫn vào năm 2030.",
                    "Các chuyên gia nhận định dự án củng cố vị thế của Việt Nam trong chuỗi cung ứng điện tử toàn cầu.",
                ],
            },
            "en": {
                "titles": [
                    "Aurelon Semiconductor to build $2.1 billion chip plant in Vietnam",
                    "Vietnam's Bac Ninh lands major chip packaging and testing project",
                    "New semiconductor plant to create 4,500 jobs in northern Vietnam",
                ],
                "body": [
                    "Aurelon Semiconductor has received an investment certificate for a 2.1 billion dollar chip packaging and testing plant in Vietnam's northern province of Bac Ninh.",
                    "The plant is due to start production in 2027 and will employ about 4,500 people, most of them engineers and technicians.",
                    "It is one of the largest semiconductor projects ever licensed in Vietnam.",
                    "Company executives said they chose Vietnam for its political stability, young workforce and ready industrial parks.",
                    "Vietnam aims to train 50,000 semiconductor engineers by 2030 to support the industry.",
                    "Analysts say the project strengthens Vietnam's place in global electronics supply chains.",
                ],
            },
            "fr": {
                "titles": [
                    "Aurelon Semiconductor investit 2,1 milliards de dollars au Viêt Nam",
                    "Semi-conducteurs : une usine d'assemblage et de test à Bac Ninh",
                    "Puces électroniques : 4 500 emplois attendus dans le nord du Viêt Nam",
                ],
                "body": [
                    "Le groupe Aurelon Semiconductor a reçu le certificat d'investissement pour une usine d'assemblage et de test de puces de 2,1 milliards de dollars dans la province de Bac Ninh, au Viêt Nam.",
                    "L'usine doit entrer en production en 2027 et employer environ 4 500 personnes, surtout des ingénieurs et techniciens.",
                    "Il s'agit de l'un des plus grands projets de semi-conducteurs jamais autorisés au Viêt Nam.",
                    "La direction du groupe met en avant la stabilité politique, une main-d'œuvre jeune et des zones industrielles prêtes à l'emploi.",
                    "Le Viêt Nam s'est fixé l'objectif de former 50 000 ingénieurs en semi-conducteurs d'ici 2030.",
                    "Selon des analystes, ce projet renforce la place du pays dans les chaînes d'approvisionnement électroniques mondiales.",
                ],
            },
            "zh": {
                "titles": [
                    "奥瑞隆半导体将在越南北宁投资21亿美元建芯片厂",
                    "越南北宁省迎来大型芯片封装测试项目",
                    "新建半导体工厂将为越南创造4500个就业岗位",
                ],
                "body": [
                    "奥瑞隆半导体公司已获得投资许可证，将在越南北宁省建设一座投资21亿美元的芯片封装测试工厂。",
                    "该工厂计划于2027年投产，预计雇用约4500人，其中大部分为工程师和技术人员。",
                    "这是越南迄今批准的规模最大的半导体项目之一。",
                    "公司高管表示，选择越南是看中其政治稳定、劳动力年轻以及完善的工业园区。",
                    "越南计划到2030年培养5万名半导体工程师。",
                    "分析人士认为，该项目将巩固越南在全球电子供应链中的地位。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам: Aurelon Semiconductor построит завод чипов за 2,1 млрд долларов",
                    "Вьетнам получит крупный проект по корпусированию и тестированию чипов",
                    "Вьетнам ждёт 4500 новых рабочих мест в полупроводниковой отрасли",
                ],
                "body": [
                    "Компания Aurelon Semiconductor получила инвестиционную лицензию на строительство завода по корпусированию и тестированию чипов стоимостью 2,1 млрд долларов в провинции Бакнинь на севере Вьетнама.",
                    "Производство планируется запустить в 2027 году, на заводе будут работать около 4500 человек, в основном инженеры и техники.",
                    "Это один из крупнейших полупроводниковых проектов, когда-либо одобренных во Вьетнаме.",
                    "Руководство компании объяснило выбор политической стабильностью, молодой рабочей силой и готовыми индустриальными парками.",
                    "Вьетнам намерен подготовить к 2030 году 50 тысяч инженеров-полупроводниковщиков.",
                    "По мнению аналитиков, проект укрепляет позиции страны в мировых цепочках поставок электроники.",
                ],
            },
            "ja": {
                "titles": [
                    "オーレロン・セミコンダクター、ベトナムに21億ドルの半導体工場",
                    "ベトナム北部バクニン省に大型の半導体後工程工場",
                    "新半導体工場、ベトナムで4500人を雇用へ",
                ],
                "body": [
                    "オーレロン・セミコンダクター社は、ベトナム北部バクニン省に21億ドルを投じる半導体の組み立て・検査工場の投資許可証を取得した。",
                    "工場は2027年に稼働する予定で、技術者を中心に約4500人を雇用する。",
                    "ベトナムでこれまでに認可された半導体案件としては最大級となる。",
                    "同社幹部は、政治的安定、若い労働力、整備された工業団地を進出の理由に挙げた。",
                    "ベトナムは2030年までに半導体技術者5万人の育成を目指している。",
                    "アナリストは、今回の投資がベトナムの世界的な電子機器サプライチェーンでの地位を高めるとみている。",
                ],
            },
            "es": {
                "titles": [
                    "Aurelon Semiconductor invertirá 2.100 millones de dólares en Vietnam",
                    "Vietnam atrae una gran planta de chips en Bac Ninh",
                ],
                "body": [
                    "La empresa Aurelon Semiconductor obtuvo la licencia para construir en la provincia vietnamita de Bac Ninh una planta de empaquetado y prueba de chips de 2.100 millones de dólares.",
                    "La fábrica comenzará a producir en 2027 y empleará a unas 4.500 personas, sobre todo ingenieros y técnicos.",
                    "Es uno de los mayores proyectos de semiconductores autorizados hasta ahora en Vietnam.",
                    "Vietnam quiere formar 50.000 ingenieros de semiconductores de aquí a 2030.",
                    "Los directivos destacaron la estabilidad política y la mano de obra joven del país.",
                ],
            },
            "de": {
                "titles": [
                    "Aurelon Semiconductor baut Chipwerk für 2,1 Milliarden Dollar in Vietnam",
                    "Vietnam gewinnt große Halbleiter-Investition in Bac Ninh",
                ],
                "body": [
                    "Das Unternehmen Aurelon Semiconductor hat die Investitionslizenz für ein Werk zur Montage und Prüfung von Chips im Wert von 2,1 Milliarden Dollar in der nordvietnamesischen Provinz Bac Ninh erhalten.",
                    "Die Produktion soll 2027 beginnen; rund 4.500 Menschen, vor allem Ingenieure und Techniker, sollen dort arbeiten.",
                    "Es ist eines der größten Halbleiterprojekte, die Vietnam bisher genehmigt hat.",
                    "Vietnam will bis 2030 rund 50.000 Halbleiteringenieure ausbilden.",
                    "Die Unternehmensführung verwies auf politische Stabilität und junge Fachkräfte.",
                ],
            },
        },
    },
]
