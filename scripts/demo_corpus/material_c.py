# ruff: noqa: E501
"""Demo corpus material, stories 11–14 (invented events; see ``material_a``)."""

from __future__ import annotations

STORIES = [
    {
        "id": "oc-eo-world-heritage",
        "start": 7.4,
        "end": 5.0,
        "langs": {
            "vi": {
                "titles": [
                    "UNESCO công nhận Khu di tích Óc Eo – Ba Thê là Di sản thế giới",
                    "Óc Eo – Ba Thê trở thành di sản thế giới đầu tiên ở đồng bằng sông Cửu Long",
                    "Dấu tích vương quốc Phù Nam được vinh danh trên bản đồ di sản thế giới",
                ],
                "body": [
                    "Ủy ban Di sản thế giới của UNESCO đã quyết định ghi danh Khu di tích khảo cổ Óc Eo – Ba Thê, tỉnh An Giang, vào Danh mục Di sản thế giới.",
                    "Khu di tích là dấu tích của một thương cảng sầm uất thuộc vương quốc Phù Nam, tồn tại từ thế kỷ I đến thế kỷ VII.",
                    "Các nhà khảo cổ đã tìm thấy tại đây đồng tiền vàng La Mã, con dấu từ Ấn Độ, trang sức vàng và nhiều nền móng kiến trúc.",
                    "Đây là di sản thế giới đầu tiên của vùng đồng bằng sông Cửu Long và là niềm tự hào của Việt Nam.",
                    "Ủy ban đánh giá Óc Eo – Ba Thê là minh chứng nổi bật cho sự giao lưu giữa các nền văn minh trên tuyến thương mại biển cổ.",
                    "Tỉnh An Giang cam kết bảo tồn nguyên trạng khu di tích đi đôi với phát triển du lịch bền vững.",
                ],
            },
            "en": {
                "titles": [
                    "UNESCO inscribes Vietnam's Oc Eo – Ba The site on World Heritage List",
                    "Ancient Funan port city becomes Mekong Delta's first World Heritage site",
                    "Roman coins and Indian seals: why UNESCO honoured Vietnam's Oc Eo",
                ],
                "body": [
                    "UNESCO's World Heritage Committee has inscribed the Oc Eo – Ba The archaeological site in Vietnam's An Giang province on the World Heritage List.",
                    "The site preserves the remains of a busy port city of the Funan kingdom, which flourished from the first to the seventh century.",
                    "Archaeologists have found Roman gold coins, seals from India, gold jewellery and the foundations of brick temples there.",
                    "It is the first World Heritage site in the Mekong Delta, a source of pride for Vietnam.",
                    "The committee described Oc Eo as outstanding evidence of exchanges between civilisations along ancient maritime trade routes.",
                    "Provincial authorities have pledged to protect the site while developing sustainable tourism.",
                ],
            },
            "fr": {
                "titles": [
                    "L'UNESCO inscrit le site vietnamien d'Óc Eo – Ba Thê au patrimoine mondial",
                    "Le premier site du patrimoine mondial du delta du Mékong",
                    "Pièces romaines et sceaux indiens : Óc Eo, cité portuaire du Founan, consacrée",
                ],
                "body": [
                    "Le Comité du patrimoine mondial de l'UNESCO a inscrit le site archéologique d'Óc Eo – Ba Thê, dans la province vietnamienne d'An Giang, sur la Liste du patrimoine mondial.",
                    "Le site conserve les vestiges d'une cité portuaire du royaume du Founan, florissante du Ier au VIIe siècle.",
                    "Les fouilles y ont livré des pièces d'or romaines, des sceaux venus d'Inde, des bijoux en or et des fondations de temples en brique.",
                    "C'est le premier bien du patrimoine mondial situé dans le delta du Mékong, au Viêt Nam.",
                    "Le Comité y voit un témoignage exceptionnel des échanges entre civilisations le long des anciennes routes maritimes.",
                    "La province s'est engagée à protéger le site tout en développant un tourisme durable.",
                ],
            },
            "zh": {
                "titles": [
                    "联合国教科文组织将越南奥埃奥—巴特遗址列入世界遗产名录",
                    "扶南古港城成为湄公河三角洲首个世界遗产",
                    "罗马金币与印度印章见证越南奥埃奥古代海上贸易",
                ],
                "body": [
                    "联合国教科文组织世界遗产委员会决定将越南安江省的奥埃奥—巴特考古遗址列入《世界遗产名录》。",
                    "该遗址保存了扶南王国一座繁华港口城市的遗迹，其繁荣期为公元1世纪至7世纪。",
                    "考古学家在这里发现了罗马金币、来自印度的印章、金饰以及砖砌神庙的地基。",
                    "这是越南湄公河三角洲地区的首个世界遗产。",
                    "委员会认为，奥埃奥是古代海上贸易路线上不同文明交流的杰出见证。",
                    "安江省承诺在保护遗址的同时发展可持续旅游。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам: ЮНЕСКО включило памятник Окео — Бате в список Всемирного наследия",
                    "Вьетнам получил первый объект Всемирного наследия в дельте Меконга",
                    "Вьетнам: древний порт царства Фунань признан Всемирным наследием",
                ],
                "body": [
                    "Комитет Всемирного наследия ЮНЕСКО внёс археологический памятник Окео — Бате в провинции Анзянг на юге Вьетнама в список Всемирного наследия.",
                    "Здесь сохранились остатки оживлённого портового города царства Фунань, процветавшего с I по VII век.",
                    "Археологи нашли римские золотые монеты, печати из Индии, золотые украшения и фундаменты кирпичных храмов.",
                    "Это первый объект Всемирного наследия в дельте Меконга.",
                    "Комитет назвал Окео выдающимся свидетельством обмена между цивилизациями на древних морских торговых путях.",
                    "Власти провинции обещают сохранить памятник и развивать устойчивый туризм.",
                ],
            },
            "ja": {
                "titles": [
                    "ユネスコ、ベトナムのオケオ・バテー遺跡を世界遺産に登録",
                    "扶南の古代港湾都市、メコンデルタ初の世界遺産に",
                    "ローマ金貨やインドの印章　ベトナム・オケオ遺跡が世界遺産に",
                ],
                "body": [
                    "ユネスコの世界遺産委員会は、ベトナム南部アンザン省のオケオ・バテー考古遺跡を世界遺産リストに登録した。",
                    "遺跡には、1世紀から7世紀に栄えた扶南王国の港湾都市の跡が残っている。",
                    "考古学者はここでローマの金貨、インドの印章、金の装飾品、れんが造りの寺院の基礎などを発見している。",
                    "ベトナムのメコンデルタで初めての世界遺産となる。",
                    "委員会は、古代の海上交易路における文明交流を示す顕著な証拠だと評価した。",
                    "アンザン省は遺跡の保護と持続可能な観光の両立を約束した。",
                ],
            },
            "es": {
                "titles": [
                    "La UNESCO declara Patrimonio Mundial el sitio vietnamita de Oc Eo – Ba The",
                    "Una antigua ciudad portuaria de Funán, primer patrimonio mundial del delta del Mekong",
                ],
                "body": [
                    "El Comité del Patrimonio Mundial de la UNESCO inscribió el sitio arqueológico de Oc Eo – Ba The, en la provincia de An Giang de Vietnam, en la Lista del Patrimonio Mundial.",
                    "El lugar conserva los restos de una ciudad portuaria del reino de Funán, que floreció entre los siglos I y VII.",
                    "Allí se han hallado monedas de oro romanas, sellos de la India y cimientos de templos de ladrillo.",
                    "Es el primer sitio del Patrimonio Mundial en el delta del Mekong, en Vietnam.",
                    "La provincia se comprometió a proteger el sitio y a desarrollar un turismo sostenible.",
                ],
            },
            "de": {
                "titles": [
                    "UNESCO erklärt Oc Eo – Ba The in Vietnam zum Welterbe",
                    "Antike Hafenstadt von Funan wird erstes Welterbe im Mekong-Delta",
                ],
                "body": [
                    "Das Welterbekomitee der UNESCO hat die archäologische Stätte Oc Eo – Ba The in der Provinz An Giang in Vietnam in die Welterbeliste aufgenommen.",
                    "Erhalten sind die Reste einer Hafenstadt des Königreichs Funan, die vom ersten bis zum siebten Jahrhundert blühte.",
                    "Archäologen fanden dort römische Goldmünzen, Siegel aus Indien und Fundamente von Backsteintempeln.",
                    "Es ist die erste Welterbestätte im Mekong-Delta, das zu Vietnam gehört.",
                    "Die Provinz will die Stätte schützen und nachhaltigen Tourismus fördern.",
                ],
            },
        },
    },
    {
        "id": "rights-report-response",
        "start": 5.2,
        "end": 2.6,
        "narrative": {"id": "demo-n4", "langs": ["en", "fr", "vi", "de", "ja", "zh"]},
        "langs": {
            "vi": {
                "titles": [
                    "Bộ Ngoại giao bác bỏ báo cáo thiếu khách quan về nhân quyền tại Việt Nam",
                    "Người phát ngôn: Báo cáo của Global Liberty Watch dựa trên thông tin sai lệch",
                    "Việt Nam khẳng định nhất quán tôn trọng và bảo đảm quyền con người",
                ],
                "body": [
                    "Tổ chức Global Liberty Watch vừa công bố báo cáo thường niên, trong đó đưa ra nhiều nhận định tiêu cực về tình hình nhân quyền và tự do tôn giáo tại Việt Nam.",
                    "Trả lời câu hỏi của phóng viên, Người phát ngôn Bộ Ngoại giao cho rằng báo cáo thiếu khách quan, dựa trên những thông tin không được kiểm chứng.",
                    "Người phát ngôn khẳng định Nhà nước Việt Nam nhất quán tôn trọng, bảo vệ và thúc đẩy quyền con người, được ghi nhận trong Hiến pháp năm 2013.",
                    "Hiện Việt Nam có 16 tôn giáo với 43 tổ chức tôn giáo được công nhận, thu hút khoảng 27 triệu tín đồ.",
                    "Việt Nam là thành viên Hội đồng Nhân quyền Liên Hợp Quốc nhiệm kỳ 2023–2025 và tiếp tục ứng cử nhiệm kỳ 2026–2028.",
                    "Việt Nam sẵn sàng đối thoại thẳng thắn, xây dựng với các đối tác về những vấn đề cùng quan tâm.",
                ],
            },
            "en": {
                "titles": [
                    "Vietnam rejects rights group's report as biased",
                    "Rights report criticises Vietnam; Foreign Ministry says it ignores reality",
                    "Vietnam says it consistently protects human rights after NGO criticism",
                ],
                "body": [
                    "The advocacy group Global Liberty Watch has released its annual report, which paints a critical picture of human rights and religious freedom in Vietnam.",
                    "Asked about the report, the Foreign Ministry spokesperson said it was biased and based on unverified information.",
                    "The spokesperson said the Vietnamese state consistently respects, protects and promotes human rights, as guaranteed by the 2013 Constitution.",
                    "Vietnam recognises 43 religious organisations belonging to 16 religions, with about 27 million followers.",
                    "The country is a member of the UN Human Rights Council for 2023–2025 and is running for the 2026–2028 term.",
                    "The report cites the detention of several bloggers in Vietnam and calls for changes to laws on cybersecurity and associations.",
                ],
            },
            "fr": {
                "titles": [
                    "Le Viêt Nam rejette un rapport « partial » sur les droits humains",
                    "Droits humains : un rapport d'ONG critique le Viêt Nam, Hanoï dénonce des informations non vérifiées",
                    "Hanoï affirme respecter les droits de l'homme après un rapport critique",
                ],
                "body": [
                    "L'organisation Global Liberty Watch a publié son rapport annuel, qui dresse un tableau critique des droits humains et de la liberté religieuse au Viêt Nam.",
                    "Interrogé sur ce document, le porte-parole du ministère des Affaires étrangères l'a jugé partial et fondé sur des informations non vérifiées.",
                    "Selon le porte-parole, l'État vietnamien respecte, protège et promeut de manière constante les droits de l'homme garantis par la Constitution de 2013.",
                    "Le Viêt Nam reconnaît 43 organisations religieuses relevant de 16 religions, qui comptent environ 27 millions de fidèles.",
                    "Le pays siège au Conseil des droits de l'homme de l'ONU pour 2023-2025 et se présente pour le mandat 2026-2028.",
                    "Le rapport évoque la détention de plusieurs blogueurs et demande de réviser les lois sur la cybersécurité et les associations.",
                ],
            },
            "zh": {
                "titles": [
                    "越南外交部驳斥“全球自由观察”人权报告有失偏颇",
                    "非政府组织报告批评越南人权 越方称其罔顾事实",
                    "越南重申始终尊重和保障人权",
                ],
                "body": [
                    "倡导组织“全球自由观察”发布年度报告，对越南的人权和宗教自由状况提出批评。",
                    "越南外交部发言人在回答记者提问时表示，该报告有失偏颇，依据的是未经核实的信息。",
                    "发言人表示，越南国家始终尊重、保护和促进人权，2013年宪法对此作出保障。",
                    "越南目前有16个宗教、43个获得承认的宗教组织，信众约2700万人。",
                    "越南是联合国人权理事会2023—2025年任期成员，并正在竞选2026—2028年任期。",
                    "报告提到越南数名博主被拘押，并呼吁修改网络安全和社团方面的法律。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам отверг доклад правозащитной организации как предвзятый",
                    "Вьетнам: МИД назвал доклад Global Liberty Watch необъективным",
                    "Вьетнам заявил, что последовательно защищает права человека",
                ],
                "body": [
                    "Организация Global Liberty Watch опубликовала ежегодный доклад с критической оценкой положения с правами человека и свободой вероисповедания во Вьетнаме.",
                    "Официальный представитель МИД назвал доклад предвзятым и основанным на непроверенной информации.",
                    "По его словам, вьетнамское государство последовательно уважает, защищает и поощряет права человека, гарантированные Конституцией 2013 года.",
                    "Вьетнам признаёт 43 религиозные организации 16 религий, у которых около 27 миллионов верующих.",
                    "Страна входит в Совет ООН по правам человека на 2023–2025 годы и выдвинула кандидатуру на срок 2026–2028 годов.",
                    "В докладе упоминаются задержания нескольких блогеров и содержится призыв изменить законы о кибербезопасности и об объединениях.",
                ],
            },
            "ja": {
                "titles": [
                    "ベトナム外務省、人権団体の報告書を「偏向」と反論",
                    "NGO報告書がベトナムの人権状況を批判、政府は「事実無視」",
                    "ベトナム、「一貫して人権を尊重」と強調",
                ],
                "body": [
                    "人権団体グローバル・リバティ・ウオッチは年次報告書を公表し、ベトナムの人権と信教の自由の状況を批判した。",
                    "ベトナム外務省の報道官は記者の質問に対し、報告書は偏っており、検証されていない情報に基づいていると述べた。",
                    "報道官は、ベトナム国家は2013年憲法に基づき一貫して人権を尊重、保護、促進していると強調した。",
                    "ベトナムでは16の宗教の43団体が公認されており、信者は約2700万人に上る。",
                    "ベトナムは2023～2025年の国連人権理事会の理事国で、2026～2028年の任期にも立候補している。",
                    "報告書は複数のブロガーの拘束に言及し、サイバーセキュリティー法などの改正を求めている。",
                ],
            },
            "es": {
                "titles": [
                    "Vietnam rechaza por sesgado un informe sobre derechos humanos",
                    "Un informe de una ONG critica a Vietnam y Hanói responde",
                ],
                "body": [
                    "La organización Global Liberty Watch publicó su informe anual, con una visión crítica de los derechos humanos y la libertad religiosa en Vietnam.",
                    "El portavoz del Ministerio de Asuntos Exteriores calificó el informe de sesgado y basado en información no verificada.",
                    "Según el portavoz, el Estado vietnamita respeta, protege y promueve de forma constante los derechos humanos garantizados por la Constitución de 2013.",
                    "Vietnam reconoce 43 organizaciones religiosas de 16 religiones, con unos 27 millones de fieles.",
                    "El país es miembro del Consejo de Derechos Humanos de la ONU para 2023-2025.",
                ],
            },
            "de": {
                "titles": [
                    "Vietnam weist Menschenrechtsbericht als einseitig zurück",
                    "NGO-Bericht kritisiert Vietnam, Außenministerium widerspricht",
                ],
                "body": [
                    "Die Organisation Global Liberty Watch hat ihren Jahresbericht veröffentlicht, der die Lage der Menschenrechte und der Religionsfreiheit in Vietnam kritisch bewertet.",
                    "Der Sprecher des Außenministeriums nannte den Bericht einseitig und auf ungeprüften Informationen beruhend.",
                    "Der vietnamesische Staat achte, schütze und fördere die Menschenrechte, die die Verfassung von 2013 garantiere, sagte der Sprecher.",
                    "Vietnam erkennt 43 Religionsorganisationen aus 16 Religionen mit rund 27 Millionen Gläubigen an.",
                    "Das Land ist Mitglied des UN-Menschenrechtsrats für 2023 bis 2025.",
                ],
            },
        },
    },
    {
        "id": "asean-digital-ministers",
        "start": 4.2,
        "end": 1.8,
        "langs": {
            "vi": {
                "titles": [
                    "Hà Nội đăng cai Hội nghị Bộ trưởng số ASEAN",
                    "ASEAN thông qua Tuyên bố Hà Nội về trí tuệ nhân tạo có trách nhiệm",
                    "Việt Nam thúc đẩy hợp tác số khu vực, hướng tới kinh tế số 30% GDP",
                ],
                "body": [
                    "Hội nghị Bộ trưởng số ASEAN đã khai mạc tại Hà Nội với sự tham dự của các bộ trưởng và quan chức cấp cao từ mười nước thành viên và các đối tác.",
                    "Hội nghị đã thông qua Tuyên bố Hà Nội về trí tuệ nhân tạo có trách nhiệm, đặt nền móng cho một khung quản trị AI chung của khu vực.",
                    "Các nước cũng cam kết tạo thuận lợi cho dòng dữ liệu xuyên biên giới an toàn và đầu tư thêm tuyến cáp quang biển.",
                    "Bộ Khoa học và Công nghệ Việt Nam giới thiệu chiến lược quốc gia về trí tuệ nhân tạo và các trung tâm dữ liệu mới.",
                    "Việt Nam đặt mục tiêu kinh tế số chiếm 30% GDP vào năm 2030.",
                    "ASEAN đặt mục tiêu đào tạo kỹ năng số cho 10 triệu thanh niên trong 5 năm tới.",
                ],
            },
            "en": {
                "titles": [
                    "Hanoi hosts ASEAN digital ministers' meeting",
                    "ASEAN adopts Hanoi Declaration on responsible AI",
                    "Vietnam pushes regional digital cooperation as AI rules take shape",
                ],
                "body": [
                    "ASEAN digital ministers opened their annual meeting in Hanoi, bringing together ministers and senior officials from the ten member states and partner countries.",
                    "The meeting adopted the Hanoi Declaration on responsible artificial intelligence, laying the groundwork for a common regional framework for AI governance.",
                    "Members also pledged to facilitate secure cross-border data flows and to invest in new submarine cables.",
                    "Vietnam's Ministry of Science and Technology presented the country's national AI strategy and plans for new data centres.",
                    "Vietnam wants the digital economy to make up 30 percent of its GDP by 2030.",
                    "ASEAN aims to give digital skills training to 10 million young people over the next five years.",
                ],
            },
            "fr": {
                "titles": [
                    "Hanoï accueille la réunion des ministres du numérique de l'ASEAN",
                    "L'ASEAN adopte la déclaration de Hanoï sur une IA responsable",
                    "Le Viêt Nam pousse la coopération numérique régionale",
                ],
                "body": [
                    "Les ministres du numérique de l'ASEAN ont ouvert leur réunion annuelle à Hanoï, en présence de ministres et hauts responsables des dix États membres et de pays partenaires.",
                    "La réunion a adopté la déclaration de Hanoï sur une intelligence artificielle responsable, première pierre d'un cadre régional commun de gouvernance de l'IA.",
                    "Les membres se sont aussi engagés à faciliter des flux de données transfrontaliers sécurisés et à investir dans de nouveaux câbles sous-marins.",
                    "Le ministère vietnamien des Sciences et Technologies a présenté la stratégie nationale d'IA et des projets de centres de données.",
                    "Le Viêt Nam veut que l'économie numérique représente 30 % de son PIB d'ici 2030.",
                    "L'ASEAN vise à former 10 millions de jeunes aux compétences numériques en cinq ans.",
                ],
            },
            "zh": {
                "titles": [
                    "东盟数字部长会议在越南河内举行",
                    "东盟通过《河内负责任人工智能宣言》",
                    "越南推动区域数字合作 力争2030年数字经济占GDP三成",
                ],
                "body": [
                    "东盟数字部长会议在越南河内开幕，来自东盟十个成员国及伙伴国的部长和高级官员出席。",
                    "会议通过了《河内负责任人工智能宣言》，为建立区域共同的人工智能治理框架奠定基础。",
                    "各国还承诺促进安全的跨境数据流动，并投资建设新的海底光缆。",
                    "越南科学技术部介绍了越南国家人工智能战略和新建数据中心的计划。",
                    "越南力争到2030年数字经济占国内生产总值的30%。",
                    "东盟计划在未来五年为1000万名青年提供数字技能培训。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам принимает совещание министров цифрового развития АСЕАН",
                    "Вьетнам: АСЕАН приняла Ханойскую декларацию об ответственном ИИ",
                    "Вьетнам продвигает региональное цифровое сотрудничество",
                ],
                "body": [
                    "В Ханое открылось ежегодное совещание министров цифрового развития АСЕАН с участием министров и высокопоставленных чиновников десяти стран-членов и партнёров.",
                    "Участники приняли Ханойскую декларацию об ответственном искусственном интеллекте, заложив основу общей региональной системы регулирования ИИ.",
                    "Страны также обязались содействовать безопасной трансграничной передаче данных и инвестировать в новые подводные кабели.",
                    "Министерство науки и технологий Вьетнама представило национальную стратегию в области ИИ и планы строительства центров обработки данных.",
                    "Вьетнам рассчитывает, что к 2030 году цифровая экономика составит 30% ВВП.",
                    "АСЕАН намерена за пять лет обучить цифровым навыкам 10 миллионов молодых людей.",
                ],
            },
            "ja": {
                "titles": [
                    "ベトナムの首都ハノイでASEANデジタル相会合",
                    "ASEAN、「責任あるAIに関するハノイ宣言」を採択",
                    "ベトナム、地域のデジタル協力を主導",
                ],
                "body": [
                    "ASEANデジタル相会合がベトナムの首都ハノイで開幕し、加盟10か国と対話国の閣僚や高官が出席した。",
                    "会合では「責任ある人工知能に関するハノイ宣言」が採択され、地域共通のAIガバナンスの枠組みづくりに向けた土台が築かれた。",
                    "各国は安全な越境データ流通の促進や新たな海底ケーブルへの投資でも一致した。",
                    "ベトナム科学技術省は、国家AI戦略や新たなデータセンター計画を紹介した。",
                    "ベトナムは2030年までにデジタル経済をGDPの30％に引き上げる目標を掲げる。",
                    "ASEANは今後5年間で1000万人の若者にデジタル技能の研修を行う方針だ。",
                ],
            },
            "es": {
                "titles": [
                    "Hanói acoge la reunión de ministros digitales de la ASEAN",
                    "La ASEAN adopta la Declaración de Hanói sobre una IA responsable",
                ],
                "body": [
                    "Los ministros digitales de la ASEAN inauguraron en Hanói, la capital de Vietnam, su reunión anual, con ministros y altos cargos de los diez países miembros y de países socios.",
                    "La reunión adoptó la Declaración de Hanói sobre una inteligencia artificial responsable, base de un marco regional común de gobernanza de la IA.",
                    "Los miembros se comprometieron a facilitar flujos transfronterizos de datos seguros y a invertir en nuevos cables submarinos.",
                    "Vietnam aspira a que la economía digital represente el 30 % de su PIB en 2030.",
                    "El Ministerio de Ciencia y Tecnología de Vietnam presentó la estrategia nacional de IA.",
                ],
            },
            "de": {
                "titles": [
                    "Hanoi richtet Treffen der ASEAN-Digitalminister aus",
                    "ASEAN verabschiedet Hanoi-Erklärung zu verantwortungsvoller KI",
                ],
                "body": [
                    "Die Digitalminister der ASEAN-Staaten sind in Hanoi, der Hauptstadt von Vietnam, zu ihrem jährlichen Treffen zusammengekommen, gemeinsam mit Vertretern von Partnerländern.",
                    "Verabschiedet wurde die Hanoi-Erklärung zu verantwortungsvoller künstlicher Intelligenz als Grundlage für einen gemeinsamen regionalen KI-Rahmen.",
                    "Die Mitglieder wollen sichere grenzüberschreitende Datenflüsse erleichtern und in neue Seekabel investieren.",
                    "Vietnam will den Anteil der Digitalwirtschaft am BIP bis 2030 auf 30 Prozent steigern.",
                    "Das vietnamesische Wissenschaftsministerium stellte die nationale KI-Strategie vor.",
                ],
            },
        },
    },
    {
        "id": "football-asean-final",
        "start": 2.2,
        "end": 0.1,
        "langs": {
            "vi": {
                "titles": [
                    "Việt Nam thắng Thái Lan 2-1, vô địch giải bóng đá Đông Nam Á",
                    "Người hâm mộ đổ ra đường mừng chức vô địch Đông Nam Á",
                    "Bàn thắng phút 78 mang về danh hiệu thứ tư cho đội tuyển Việt Nam",
                ],
                "body": [
                    "Tối qua trên sân Mỹ Đình, đội tuyển Việt Nam thắng Thái Lan 2-1 ở trận chung kết lượt về, qua đó vô địch giải vô địch bóng đá Đông Nam Á với tổng tỷ số 3-2.",
                    "Ở trận lượt đi tại Bangkok, hai đội hòa nhau 1-1.",
                    "Tiền đạo 21 tuổi ghi bàn quyết định ở phút 78 sau một pha phản công nhanh.",
                    "Đây là lần thứ tư Việt Nam giành chức vô địch khu vực.",
                    "Hàng trăm nghìn cổ động viên đã đổ ra đường ở Hà Nội và Thành phố Hồ Chí Minh, vẫy cờ đỏ sao vàng ăn mừng đến khuya.",
                    "Huấn luyện viên trưởng dành tặng chức vô địch cho người hâm mộ đã luôn sát cánh cùng đội tuyển Việt Nam.",
                ],
            },
            "en": {
                "titles": [
                    "Vietnam beat Thailand 2-1 to win ASEAN Championship",
                    "Fans flood streets of Hanoi after Vietnam's regional football title",
                    "Late goal gives Vietnam fourth Southeast Asian crown",
                ],
                "body": [
                    "Vietnam beat Thailand 2-1 in the second leg of the ASEAN Championship final at My Dinh stadium in Hanoi, winning the title 3-2 on aggregate.",
                    "The first leg in Bangkok had ended 1-1.",
                    "A 21-year-old striker scored the winner in the 78th minute after a swift counter-attack.",
                    "It is Vietnam's fourth regional title.",
                    "Hundreds of thousands of fans poured into the streets of Hanoi and Ho Chi Minh City, waving red flags with a yellow star late into the night.",
                    "The head coach dedicated the trophy to supporters who had stood by the team.",
                ],
            },
            "fr": {
                "titles": [
                    "Football : le Viêt Nam bat la Thaïlande et remporte le championnat de l'ASEAN",
                    "Liesse dans les rues de Hanoï après le titre régional du Viêt Nam",
                    "Un but à la 78e minute offre au Viêt Nam sa quatrième couronne",
                ],
                "body": [
                    "Le Viêt Nam a battu la Thaïlande 2-1 en finale retour du championnat de l'ASEAN au stade de My Dinh, à Hanoï, et s'adjuge le titre 3-2 sur l'ensemble des deux matches.",
                    "Le match aller à Bangkok s'était soldé par un nul 1-1.",
                    "Un attaquant de 21 ans a inscrit le but décisif à la 78e minute sur une contre-attaque éclair.",
                    "C'est le quatrième titre régional du Viêt Nam.",
                    "Des centaines de milliers de supporters ont envahi les rues de Hanoï et de Hô Chi Minh-Ville jusque tard dans la nuit.",
                    "Le sélectionneur a dédié le trophée aux supporters.",
                ],
            },
            "zh": {
                "titles": [
                    "越南2比1击败泰国 夺得东南亚足球锦标赛冠军",
                    "越南球迷涌上河内街头庆祝夺冠",
                    "第78分钟绝杀 越南第四次称霸东南亚",
                ],
                "body": [
                    "在河内美亭体育场进行的东南亚足球锦标赛决赛次回合中，越南队2比1战胜泰国队，以总比分3比2夺冠。",
                    "两队首回合在曼谷战成1比1平。",
                    "一名21岁的前锋在第78分钟的快速反击中打入制胜球。",
                    "这是越南队第四次夺得地区冠军。",
                    "数十万球迷涌上河内和胡志明市街头，挥舞着金星红旗庆祝到深夜。",
                    "越南队主教练将冠军献给一直支持球队的球迷。",
                ],
            },
            "ru": {
                "titles": [
                    "Вьетнам обыграл Таиланд и выиграл чемпионат АСЕАН по футболу",
                    "Вьетнам празднует: болельщики заполнили улицы Ханоя",
                    "Вьетнам в четвёртый раз стал чемпионом Юго-Восточной Азии",
                ],
                "body": [
                    "Сборная Вьетнама обыграла Таиланд со счётом 2:1 в ответном финальном матче чемпионата АСЕАН на стадионе «Мидинь» в Ханое и завоевала титул с общим счётом 3:2.",
                    "Первый матч в Бангкоке завершился вничью 1:1.",
                    "21-летний нападающий забил победный гол на 78-й минуте после стремительной контратаки.",
                    "Вьетнам стал чемпионом региона в четвёртый раз.",
                    "Сотни тысяч болельщиков вышли на улицы Ханоя и Хошимина с красными флагами с жёлтой звездой.",
                    "Главный тренер посвятил победу болельщикам.",
                ],
            },
            "ja": {
                "titles": [
                    "ベトナム、タイに2－1で勝利し東南アジア選手権優勝",
                    "ハノイの街にファンあふれる　ベトナム代表が地域王者に",
                    "後半78分に決勝点、ベトナムが4度目の東南アジア制覇",
                ],
                "body": [
                    "サッカーの東南アジア選手権決勝第2戦がハノイのミーディン競技場で行われ、ベトナムがタイを2－1で破り、2戦合計3－2で優勝した。",
                    "バンコクでの第1戦は1－1の引き分けだった。",
                    "21歳のストライカーが後半78分、素早いカウンターから決勝ゴールを決めた。",
                    "ベトナムの地域制覇は4度目となる。",
                    "ハノイやホーチミン市では数十万人のファンが金星紅旗を振りながら深夜まで街を練り歩いた。",
                    "監督は優勝を支えてくれたファンにトロフィーをささげた。",
                ],
            },
            "es": {
                "titles": [
                    "Vietnam vence 2-1 a Tailandia y gana el Campeonato de la ASEAN",
                    "Los aficionados llenan las calles de Hanói tras el título de Vietnam",
                ],
                "body": [
                    "Vietnam derrotó 2-1 a Tailandia en la vuelta de la final del Campeonato de la ASEAN en el estadio My Dinh de Hanói y se proclamó campeón con un global de 3-2.",
                    "La ida en Bangkok había terminado 1-1.",
                    "Un delantero de 21 años marcó el gol de la victoria en el minuto 78 tras un rápido contraataque.",
                    "Es el cuarto título regional de Vietnam.",
                    "Cientos de miles de aficionados salieron a las calles de Hanói y Ciudad Ho Chi Minh con banderas rojas de estrella amarilla.",
                ],
            },
            "de": {
                "titles": [
                    "Vietnam schlägt Thailand und gewinnt die ASEAN-Meisterschaft",
                    "Fans feiern in Hanoi den vierten Titel für Vietnam",
                ],
                "body": [
                    "Vietnam hat das Final-Rückspiel der ASEAN-Meisterschaft im My-Dinh-Stadion in Hanoi gegen Thailand mit 2:1 gewonnen und sich mit 3:2 nach Hin- und Rückspiel den Titel gesichert.",
                    "Das Hinspiel in Bangkok war 1:1 ausgegangen.",
                    "Ein 21 Jahre alter Stürmer erzielte in der 78. Minute nach einem schnellen Konter das Siegtor.",
                    "Für Vietnam ist es der vierte Regionaltitel.",
                    "Hunderttausende Fans feierten bis spät in die Nacht auf den Straßen von Hanoi und Ho-Chi-Minh-Stadt.",
                ],
            },
        },
    },
]
