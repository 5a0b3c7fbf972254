"""Word lists for the disguise families of issue 10 (tuples and frozen mappings only).

Everything here is a lawful look-alike written for the test marketplaces: spellings a counterfeit
seller might use for the sample catalog's brands, and ordinary titles that merely look like them.
Keyed by catalog brand id; a catalog without a brand simply has no listings of that entry.
"""

from __future__ import annotations

from types import MappingProxyType

# U+200B zero width space, U+200C/D zero width (non-)joiner, U+2060 word joiner, U+FEFF, soft hyphen
INVISIBLES = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")

ACCENTS = MappingProxyType({
    "a": "áàâäã", "e": "éèêë", "i": "íìîï", "o": "óòôöõ", "u": "úùûü", "c": "ç", "n": "ñ", "y": "ýÿ",
    "A": "ÁÀÂÄ", "E": "ÉÈÊË", "I": "ÍÌÎÏ", "O": "ÓÒÔÖ", "U": "ÚÙÛÜ", "C": "Ç", "N": "Ñ",
})

# Chinese names that sound the same as (or nearly as) the brand's Chinese name; pinyin in the comment
HOMOPHONES = MappingProxyType({
    "nike": ("奈克", "耐客", "乃克"),  # naike
    "adidas": ("阿迪达思", "啊迪达斯", "阿迪答斯"),  # adidasi
    "puma": ("飙马", "镖马"),  # biaoma
    "gucci": ("古奇", "古弛", "谷驰"),  # guqi (near), guchi
    "louis-vuitton": ("路易维登", "路易威灯", "璐易威登"),  # luyiweideng
    "chanel": ("香奈尔", "香耐儿", "湘奈儿"),  # xiangnaier
    "coach": ("寇驰", "蔻池", "扣驰"),  # kouchi
    "huawei": ("华伟", "花为"),  # huawei
    "xiaomi": ("晓米", "小咪"),  # xiaomi
    "moutai": ("茅苔", "矛台"),  # maotai
    "wuliangye": ("五梁液", "伍粮液", "五良液"),  # wuliangye
    "lancome": ("兰寇", "蓝蔻"),  # lankou
    "estee-lauder": ("雅丝兰黛", "雅诗兰岱", "亚诗兰黛"),  # yashilandai
    "dove": ("朵芬", "哆芬"),  # duofen
    "apple": ("平果", "萍果"),  # pingguo
})

# the brand's Chinese name with one or two characters swapped for one drawn alike (形近字); the swapped
# character in the comment (each pair is in matchers/data/glyphs_zh.tsv, derived from char-similar's shape data)
GLYPHS = MappingProxyType({
    "nike": ("耐兑",),  # 克 -> 兑
    "adidas": ("阿迪达期", "阿迪迈斯", "阿迫达斯"),  # 斯 -> 期, 达 -> 迈, 迪 -> 迫
    "gucci": ("吉驰", "古驱", "古驼"),  # 古 -> 吉, 驰 -> 驱 / 驼
    "louis-vuitton": ("路易咸登", "踊易威登"),  # 威 -> 咸, 路 -> 踊
    "chanel": ("香奈几", "香奎儿", "杳奈儿"),  # 儿 -> 几, 奈 -> 奎, 香 -> 杳
    "coach": ("蔻驱", "蔻驼"),  # 驰 -> 驱 / 驼
    "moutai": ("茅召",),  # 台 -> 召
    "wuliangye": ("互粮液", "五粮淬"),  # 五 -> 互, 液 -> 淬
    "lancome": ("关蔻",),  # 兰 -> 关
    "estee-lauder": ("雅试兰黛", "难诗兰黛", "雅诗关黛"),  # 诗 -> 试, 雅 -> 难, 兰 -> 关
    "dove": ("多芥",),  # 芬 -> 芥
    "apple": ("苹杲",),  # 果 -> 杲
})

# product-line terms with a model number, per brand (no brand name in them; every one has a digit
# and a word of a catalog product's name, so a matcher can derive it from the catalog)
MODEL_LINES = MappingProxyType({
    "nike": ("Air Force 1", "Air Force 1 '07", "Force 1 Low", "Pegasus 41", "Air Zoom Pegasus 41"),
    "adidas": ("Ultraboost 5", "Ultraboost 22"),
    "apple": ("iPhone 15 Pro", "AirPods Pro 2", "Watch Series 9"),
    "huawei": ("Mate 60 Pro", "FreeBuds Pro 3", "Watch GT 4"),
    "xiaomi": ("Smart Band 8", "Note 13 Pro"),
    "coach": ("Tabby 26",),
    "louis-vuitton": ("Keepall 50", "Keepall Bandoulière 50"),
    "chanel": ("N°5", "N°5 EDP"),
})

# replica-community wording: batch / factory names and forum jargon
JARGON_EN = ("rep", "reps", "LJR batch", "PK batch", "GX batch", "OG batch", "best batch", "W2C", "QC pics",
             "GL", "1:1", "UA", "top batch", "M batch")
JARGON_ZH = ("复刻", "高仿", "纯原", "LJR版", "PK版", "GX版", "OG版", "1:1", "顶级版本", "莆田", "原单")

# one-letter-off spellings that are real words: a slip must never produce one of these
REAL_WORDS = frozenset({"bike", "like", "mike", "nice", "nine", "dive", "love", "dave", "done", "cove", "dome",
                        "pima", "pump", "puma", "couch", "cough", "apply", "ample", "chapel", "gucci", "dose",
                        "pike", "nuke", "move", "dote", "coact", "poach", "roach", "pumas"})

# (family, EN title or None, ZH title or None, mentioned brand id or None, drawn kind, (low, high) CNY)
LAWFUL = (
    # ordinary Chinese compounds that contain a brand's Chinese name (or its first two characters)
    ("zh_compound", None, "五粮杂粮粥 五谷杂粮 早餐 代餐 500g", "wuliangye", "box", (19, 49)),
    ("zh_compound", None, "东北红米 糙米 红米饭 五谷杂粮 2.5kg", "xiaomi", "box", (19, 59)),
    ("zh_compound", None, "小米椒 新鲜 朝天椒 农家 500g", "xiaomi", "fruit", (9, 29)),
    ("zh_compound", None, "路易十四传 法国史 历史人物传记 精装", "louis-vuitton", "book", (29, 79)),
    ("zh_compound", None, "路易斯安那 旅游地图 英文版 折叠", "louis-vuitton", "book", (19, 49)),
    ("zh_compound", None, "雅诗 古典诗词选 线装 宣纸 礼品书", "estee-lauder", "book", (39, 129)),
    ("zh_compound", None, "敦煌飞天 壁画 真丝丝巾 文创", "moutai", "box", (59, 199)),
    ("zh_compound", None, "苹果派 手工烘焙 早餐 6个装", "apple", "fruit", (19, 49)),
    # ordinary Chinese words that sound like a brand's Chinese name
    ("zh_sound_alike", None, "固齿护龈牙膏 家庭装 3支", "gucci", "pump", (19, 49)),  # guchi
    ("zh_sound_alike", None, "标码 男鞋 帆布鞋 休闲 透气", "puma", "shoe", (39, 129)),  # biaoma
    ("zh_sound_alike", None, "华威大学 留学申请指南 英国 2025", "huawei", "book", (29, 69)),  # huawei
    ("zh_sound_alike", None, "多份装 坚果零食 每日坚果 30包", "dove", "box", (49, 129)),  # duofen
    ("zh_sound_alike", None, "口齿清晰 儿童绕口令 绘本 全4册", "coach", "book", (29, 69)),  # kouchi
    ("zh_sound_alike", None, "古池 青蛙 俳句 日式 陶瓷摆件", "gucci", "mug", (39, 99)),  # guchi
    # ordinary Chinese words one look-alike character away from a brand's Chinese name
    ("zh_glyph_lawful", None, "草果 香料 炖肉调料 干货 250g", "apple", "fruit", (9, 29)),  # 苹果: 苹 -> 草
    ("zh_glyph_lawful", None, "草果 整颗 云南 卤料 500g", "apple", "fruit", (19, 49)),
    ("zh_glyph_lawful", None, "纯米酒 清酒 720ml 日式", "xiaomi", "box", (59, 159)),  # 红米: 红 -> 纯
    ("zh_glyph_lawful", None, "纯米 糕点 手工 米糕 礼盒", "xiaomi", "box", (29, 69)),
    # works of art, music and books whose titles contain a brand word
    ("art_title", "Cezanne Still Life with Apples Canvas Print 40x50cm", "塞尚 苹果静物 油画 装饰画 挂画", "apple",
     "book", (59, 199)),
    ("art_title", "Picasso Dove of Peace Poster A3 Lithograph Print", "毕加索 和平鸽 dove 装饰画 挂画", "dove",
     "book", (29, 99)),
    ("art_title", "Winged Victory of Samothrace (Nike) Resin Statue 30cm Museum Shop",
     "胜利女神 Nike 雕像 卢浮宫 树脂摆件 30cm", "nike", "box", (99, 299)),
    ("art_title", "Fiona Apple - Fetch the Bolt Cutters Vinyl LP", None, "apple", "book", (129, 259)),
    ("art_title", "Coco Chanel: The Legend and the Life (Paperback Biography)", "可可香奈儿传 人物传记 平装",
     "chanel", "book", (39, 99)),
    ("art_title", "Coach Carter (2005) DVD Samuel L. Jackson", "卡特教练 Coach Carter DVD 电影 光盘", "coach",
     "book", (19, 59)),
    # a short brand name inside a longer ordinary word
    ("inner_word", "Pineapple Corer Slicer Stainless Steel", "pineapple 菠萝去皮器 不锈钢", "apple", "box",
     (19, 59)),
    ("inner_word", "Dovetail Jig Router Template Woodworking", "燕尾榫 dovetail 木工 开榫器", "dove", "box",
     (59, 199)),
    ("near_word", "4 Channel Audio Mixer USB Sound Board", "4 channel 调音台 USB 声卡", "chanel", "box",
     (99, 399)),
    ("inner_word", "Stagecoach Western Wall Art Framed", None, "coach", "book", (49, 159)),
    ("inner_word", "Coaching Cones Set of 50 Agility Training", "足球训练 coaching 标志碟 50个", "coach", "box",
     (19, 59)),
    ("inner_word", "Applesauce Pouches Organic 12 Pack", None, "apple", "fruit", (39, 99)),
    # real words one letter away from a short brand name
    ("near_word", "Bike Helmet Adult Cycling Lightweight", "bike 骑行头盔 山地车 轻量", "nike", "box",
     (59, 199)),
    ("near_word", "Dive Mask Snorkel Set Anti Fog", "dive 潜水镜 呼吸管 套装 防雾", "dove", "box", (49, 159)),
    ("near_word", "Love Heart Cushion Cover 45x45", "love 爱心 抱枕套 45x45", "dove", "chair", (19, 59)),
    ("near_word", "Couch Cover 3 Seater Stretch Sofa Slipcover", "couch 沙发套 弹力 三人位", "coach", "chair",
     (59, 199)),
    ("near_word", "Pima Cotton Crew Neck Tee", "pima 皮马棉 圆领 T恤", "puma", "hoodie", (49, 159)),
    ("near_word", "Foot Pump for Air Mattress", "pump 脚踩充气泵 充气床", "puma", "box", (29, 89)),
    ("near_word", "Chapel Wedding Invitation Cards Pack of 50", None, "chanel", "book", (29, 89)),
    # replica jargon used lawfully (gym reps, small batch, 1:1 scale, facsimile)
    ("jargon_lawful", "Digital Rep Counter for Gym Workouts", "健身计数器 reps 计次 手环", None, "watch",
     (39, 129)),
    ("jargon_lawful", "Small Batch Coffee Beans Single Origin 500g", "小批量 手工烘焙 咖啡豆 500g", None, "box",
     (59, 159)),
    ("jargon_lawful", "1:1 Scale Human Skeleton Model 170cm Anatomy", "1:1 人体骨骼模型 170cm 医学教学", None,
     "box", (299, 899)),
    ("jargon_lawful", "Replica Antique World Map 1570 Print", "复刻 古籍 线装书 影印本 宣纸", None, "book",
     (39, 129)),
    ("jargon_lawful", "QC Passed Inspection Stickers Roll of 500", "QC合格证 标签贴纸 500枚", None, "box",
     (9, 29)),
    # compatible parts named only by a product line and its number
    ("model_lawful", "Replacement Laces for Air Force 1 '07 - 120cm", "适用 Air Force 1 空军一号 鞋带 扁平 白色",
     "nike", "box", (9, 39)),
    ("model_lawful", "Tempered Glass Screen Protector for Mate 60 Pro", "适用Mate60Pro 钢化膜 全屏", "huawei",
     "case", (9, 39)),
    ("model_lawful", "Silicone Strap for Smart Band 8 (Pack of 3)", "适用 Smart Band 8 手环表带 硅胶", "xiaomi",
     "band", (9, 39)),
    ("model_lawful", "Clear Case for iPhone 15 Pro Shockproof", "适用 iPhone 15 Pro 透明手机壳 防摔", "apple",
     "case", (9, 49)),
    ("model_lawful", "Organizer Insert for Neverfull MM Felt", "适用 Neverfull MM 内胆包 收纳", "louis-vuitton",
     "tote", (29, 129)),
)

# ordinary titles written with accents, styled letters or invisible characters (lawful)
ACCENTED_LAWFUL = (
    ("Café Crème Espresso Cups Set of 4", "mug", (29, 99)), ("Crème Brûlée Torch Kitchen", "box", (29, 99)),
    ("Jalapeño Chili Seeds 50 pcs", "fruit", (9, 29)), ("Piñata Llama Party Decoration", "plush", (29, 79)),
    ("Château Red Wine Glasses Pair", "mug", (39, 129)), ("Naïve Art Print Village Scene", "book", (29, 99)),
    ("Pâte à Choux Piping Nozzle Set", "box", (19, 49)), ("Açaí Berry Powder 250g", "fruit", (39, 99)),
)
