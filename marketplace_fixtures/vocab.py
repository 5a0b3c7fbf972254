"""Word lists for titles, shops and places (English and Chinese). Tuples only: nothing mutable."""

from __future__ import annotations

from types import MappingProxyType

CF_WORDS_EN = ("Replica", "1:1", "AAA", "AAA+", "Mirror Quality", "Top Quality Copy", "Master Copy",
               "First Copy", "7A", "UA", "Super Copy", "Best Version", "Factory Direct", "High Copy",
               "Dupe", "Inspired", "Unauthorized Authentic", "copy", "replica")
CF_WORDS_ZH = ("高仿", "精仿", "原单", "复刻", "A货", "莆田", "尾单", "1:1", "顶级版本", "纯原", "公司级",
               "超A", "原厂", "工厂货", "真标", "细节对版", "顶级复刻", "市场最高版本", "莆田纯原", "外贸原单",
               "高版本", "原装级")

# category -> (EN nouns, ZH nouns, EN extras, ZH extras, (low, high) unbranded price in CNY, drawn kind)
CATEGORY = MappingProxyType({
    "shoes": (("Running Shoes", "Sneakers", "Trainers", "Casual Shoes", "Sports Shoes", "Walking Shoes",
               "Basketball Shoes", "Skate Shoes"),
              ("运动鞋", "跑步鞋", "板鞋", "休闲鞋", "男鞋", "女鞋", "老爹鞋", "小白鞋", "篮球鞋"),
              ("Lightweight", "Breathable", "Cushioned", "Non Slip", "Mesh", "Low Top", "High Top"),
              ("透气", "减震", "轻便", "百搭", "低帮", "高帮", "防滑", "网面", "情侣款", "学生"),
              (59, 399), "shoe"),
    "apparel": (("Hoodie", "Sweatshirt", "Track Jacket", "T-Shirt", "Zip Hoodie", "Fleece Jacket"),
                ("卫衣", "连帽卫衣", "外套", "T恤", "开衫", "运动服"),
                ("Oversized", "Slim Fit", "Cotton", "Full Sleeve", "Solid", "Printed"),
                ("加绒", "宽松", "纯棉", "秋冬", "潮牌", "男女同款"),
                (39, 259), "hoodie"),
    "bag": (("Shoulder Bag", "Handbag", "Tote Bag", "Crossbody Bag", "Travel Duffel", "Sling Bag",
             "Messenger Bag"),
            ("包包", "单肩包", "斜挎包", "手提包", "托特包", "女包", "旅行包", "链条包"),
            ("Genuine Leather", "PU Leather", "Large Capacity", "Quilted", "Vintage", "Mini"),
            ("真皮", "大容量", "菱格", "老花", "百搭", "ins", "通勤", "高级感"),
            (49, 499), "handbag"),
    "perfume": (("Eau de Parfum", "Perfume", "EDP Spray", "Fragrance", "Eau de Toilette"),
                ("香水", "淡香水", "浓香水", "香氛"),
                ("100ml", "50ml", "Long Lasting", "for Women", "Gift Set"),
                ("持久留香", "100ml", "50ml", "礼盒装", "女士", "七夕礼物"),
                (29, 299), "perfume"),
    "phone": (("Smartphone", "Mobile Phone", "5G Phone", "Android Phone", "Unlocked Phone"),
              ("手机", "5G手机", "智能手机", "全网通手机", "学生机", "老人机"),
              ("256GB", "512GB", "8GB RAM", "Dual SIM", "6.7 inch", "Unlocked"),
              ("全网通", "256G", "512G", "官方正品", "分期", "国行"),
              (399, 2499), "phone"),
    "earbuds": (("Wireless Earbuds", "Bluetooth Earphones", "TWS Earbuds", "Noise Cancelling Earbuds"),
                ("蓝牙耳机", "无线耳机", "降噪耳机", "入耳式耳机"),
                ("Bluetooth 5.3", "ANC", "with Charging Case", "Waterproof"),
                ("主动降噪", "超长续航", "通用", "运动"),
                (39, 299), "earbuds"),
    "watch": (("Smart Watch", "Fitness Tracker", "Smartwatch", "Sports Watch", "Smart Band"),
              ("智能手表", "运动手环", "手表", "智能手环"),
              ("Heart Rate", "Blood Oxygen", "AMOLED", "GPS", "Waterproof"),
              ("心率", "血氧", "NFC", "防水", "运动模式"),
              (59, 499), "watch"),
    "liquor": (("Chinese Baijiu", "Sorghum Liquor", "Baijiu Gift Box"),
               ("白酒", "酱香型白酒", "浓香型白酒", "53度", "52度", "500ml", "礼盒", "整箱"),
               ("53% vol", "500ml", "Gift Box", "Vintage 2018"),
               ("收藏", "送礼", "婚宴", "年份酒", "纯粮酿造", "整箱6瓶"),
               (38, 399), "liquor"),
    "skincare": (("Face Serum", "Night Repair Serum", "Foundation", "Moisturizer", "Essence"),
                 ("精华液", "小黑瓶", "小棕瓶", "粉底液", "面霜", "精华"),
                 ("50ml", "30ml", "Anti Aging", "for All Skin Types"),
                 ("补水保湿", "修护", "抗老", "持妆", "遮瑕", "50ml"),
                 (29, 199), "dropper"),
    "bodycare": (("Body Wash", "Beauty Bar", "Shower Gel", "Soap Bar", "Moisturising Cream Bar"),
                 ("沐浴露", "香皂", "洗护套装", "沐浴乳", "洁面皂"),
                 ("1L", "Pack of 4", "Sulfate Free", "Family Pack"),
                 ("家庭装", "滋润", "保湿", "留香", "4块装"),
                 (9, 69), "pump"),
    "general": (("Item",), ("商品",), ("New",), ("新款",), (19, 199), "box"),
})

COLOURS_EN = ("Black", "White", "Triple White", "Black/White", "Grey", "Navy Blue", "Red", "Beige", "Pink",
              "Olive", "Brown", "Multicolor")
COLOURS_ZH = ("黑色", "白色", "黑白", "灰色", "藏青", "红色", "米色", "粉色", "卡其", "棕色")
GENDER_EN = ("Men", "Women", "Men & Women", "Boys", "Girls")
TAO_PREFIX = ("2024新款", "2025新款", "正品", "现货", "官方", "秋冬新款", "夏季", "爆款", "ins风", "网红",
              "限时特价", "清仓", "包邮")
TAO_SUFFIX = ("包邮", "现货速发", "顺丰包邮", "七天无理由", "假一赔十", "送运费险", "可开发票", "支持验货")

# (EN title, ZH title, brand id whose word appears, ordinary meaning, drawn kind, (low, high) CNY)
ORDINARY = (
    ("Fresh Red Apple 5kg Box - Farm Direct", "烟台红富士苹果 5斤装 新鲜水果 当季脆甜", "apple", "fruit", "fruit",
     (25, 80)),
    ("Green Apple Granny Smith 2kg", "阿克苏冰糖心苹果 10斤 整箱 新鲜", "apple", "fruit", "fruit", (19, 99)),
    ("Apple Cider Vinegar with Mother 500ml", "苹果醋 饮料 0脂 500ml*6瓶", "apple", "food", "pump", (19, 59)),
    ("Big Apple New York City Souvenir Mug", "苹果造型 陶瓷 马克杯 可爱 水杯", "apple", "shape", "mug", (29, 69)),
    ("Puma (Cougar) Plush Toy 30cm Wildlife Stuffed Animal", "美洲狮 puma 毛绒玩具 仿真动物 公仔", "puma",
     "animal", "plush", (39, 129)),
    ("Puma Concolor Wildlife Poster A2 - Mountain Lion", "puma 美洲狮 野生动物 科普 图册", "puma", "animal",
     "book", (19, 59)),
    ("Coach Tour Bus Ticket Shanghai - Hangzhou", "大巴车模型 1:50 合金 旅游巴士 coach 玩具", "coach", "bus",
     "vehicle", (49, 199)),
    ("Football Coach Whistle with Lanyard", "教练哨子 篮球足球裁判 coach 训练专用", "coach", "trainer", "box",
     (9, 39)),
    ("Men's Coach Jacket Windbreaker Snap Button", "coach jacket 教练夹克 男款 宽松 风衣外套", "coach",
     "garment style", "hoodie", (89, 299)),
    ("Life Coach Planner Journal 2025 A5", "教练 coach 笔记本 手账 A5", "coach", "trainer", "book", (29, 79)),
    ("White Dove Bird Figurine Ceramic Wedding Decor", "和平鸽 白鸽 摆件 陶瓷 婚庆装饰 dove", "dove", "bird",
     "plush", (29, 119)),
    ("Dove Grey Linen Curtains 2 Panels", "dove grey 鸽灰色 亚麻窗帘 遮光", "dove", "colour", "chair",
     (99, 299)),
    ("Northeast Yellow Millet 2.5kg (Xiaomi) New Harvest", "东北黄小米 5斤 新米 月子米 小米粥 农家", "xiaomi",
     "millet", "box", (25, 69)),
    ("Organic Millet Porridge Grain 1kg", "山西沁州黄小米 2.5kg 真空装 小米粥", "xiaomi", "millet", "box",
     (29, 89)),
    ("Apple Wood Chips for Smoking BBQ 2kg", "苹果木 烧烤木屑 烟熏 2kg", "apple", "wood", "box", (29, 79)),
)

# (brand id, EN templates, ZH templates, drawn kind, (low, high) CNY) -- {m} is a product model
ACCESSORY = (
    ("apple", ("Silicone Case for iPhone 15 Pro - Shockproof", "Tempered Glass Screen Protector for iPhone 15 Pro "
               "(Pack of 2)", "Replacement Ear Tips for AirPods Pro (S/M/L)", "Sport Band Compatible with Apple "
               "Watch 45mm", "USB-C Charger Cable for iPhone 1m", "Clear Case Compatible with AirPods Pro 2"),
     ("适用苹果15promax手机壳 磁吸 防摔", "适用于iPhone15钢化膜 全屏 防窥", "适用于苹果AirPods Pro2保护套 硅胶",
      "适用苹果手表表带 S9 45mm 运动硅胶", "苹果数据线 适用iPhone 快充 1米"), "case", (9, 99)),
    ("huawei", ("Case for Huawei Mate 60 Pro - Leather Flip", "Compatible with Huawei Watch GT 4 Strap 22mm",
                "Screen Protector for Huawei Mate 60 Pro", "66W Charger Compatible with Huawei"),
     ("适用于华为Mate60Pro手机壳 素皮 镜头全包", "适用华为watch gt4表带 22mm 真皮", "适用华为FreeBuds Pro3保护套",
      "华为66W超级快充 数据线 适用"), "case", (9, 129)),
    ("xiaomi", ("Strap for Xiaomi Smart Band 8 - Pack of 3", "Case Compatible with Xiaomi 14",
                "Screen Protector for Redmi Note 13 Pro"),
     ("适用小米手环8表带 硅胶 替换带", "适用于小米14手机壳 透明 防摔", "红米note13pro钢化膜 适用"), "case",
     (6, 59)),
    ("nike", ("Replacement Shoe Laces for Nike Air Force 1 - 120cm", "Sneaker Cleaning Kit for Nike & Jordan",
              "Shoe Trees Compatible with Nike Sneakers"),
     ("适配耐克AF1空军一号鞋带 白色 扁平", "耐克鞋 清洁剂 小白鞋 擦鞋神器 适用"), "box", (9, 69)),
    ("adidas", ("Replacement Insoles for Adidas Ultraboost", "Shoe Laces Compatible with Adidas Samba"),
     ("适用阿迪达斯samba德训鞋 鞋带 替换", "适配阿迪boost 鞋垫 减震"), "box", (9, 59)),
    ("louis-vuitton", ("Bag Organizer Insert for LV Neverfull MM - Felt", "Strap Compatible with Louis Vuitton "
                       "Keepall"),
     ("适用于LV neverfull 内胆包 收纳 撑形", "适用路易威登 包包 肩带 替换"), "tote", (29, 159)),
    ("coach", ("Replacement Strap for Coach Tabby Bag", "Bag Charm Compatible with Coach Totes"),
     ("适用蔻驰tabby 包带 替换 斜挎", "适用coach包 内胆 收纳"), "handbag", (19, 129)),
)

# unrelated products: (EN title, ZH title, drawn kind, (low, high) CNY)
UNRELATED = (
    ("Stainless Steel Vacuum Flask 500ml Leak Proof", "不锈钢保温杯 大容量 500ml 男女 学生 水杯", "pump", (29, 99)),
    ("Ceramic Coffee Mug Nordic Style 350ml", "ins风 北欧 简约 陶瓷 马克杯 早餐杯 情侣", "mug", (15, 59)),
    ("Wooden Dining Chair Set of 2", "实木餐椅 家用 靠背椅 北欧 简约 书桌椅", "chair", (199, 699)),
    ("Kids Building Blocks Set 1000 Pieces", "儿童积木 拼装玩具 益智 男孩 1000颗粒", "box", (59, 199)),
    ("Teddy Bear Plush Toy 40cm Soft", "泰迪熊 毛绒玩具 公仔 抱枕 生日礼物", "plush", (29, 119)),
    ("Paperback Novel Set of 3 Bestsellers", "正版 小说 三册 套装 畅销书", "book", (39, 99)),
    ("Organic Gala Fruit Gift Box 3kg", "新鲜 水果 礼盒 3kg 当季 应季", "fruit", (49, 149)),
    ("Alloy City Bus Model 1:43 Die-cast", "合金 城市公交车 模型 1:43 儿童玩具", "vehicle", (39, 129)),
    ("Men's Running Shoes Lightweight Breathable Mesh", "男鞋 运动鞋 透气 网面 跑步鞋 轻便 学生 百搭", "shoe",
     (59, 199)),
    ("Women's Casual Sneakers White Platform", "小白鞋 女 2024新款 厚底 百搭 板鞋", "shoe", (49, 159)),
    ("Women's PU Leather Shoulder Bag Large Capacity", "女包 单肩包 大容量 通勤 托特包 百搭 高级感", "handbag",
     (39, 199)),
    ("Canvas Tote Bag Eco Shopping Bag", "帆布包 女 大容量 ins 学生 托特包", "tote", (15, 59)),
    ("Wireless Earbuds Bluetooth 5.3 TWS with Charging Case", "蓝牙耳机 无线 入耳式 超长续航 适用 通用", "earbuds",
     (39, 159)),
    ("Smart Watch Fitness Tracker Heart Rate Blood Oxygen", "智能手表 运动手环 心率 血氧 防水 男女", "watch",
     (59, 259)),
    ("Unlocked Android Smartphone 6.5 inch 128GB", "全网通 智能手机 学生 备用机 128G 大屏", "phone", (399, 999)),
    ("Men's Solid Zip Hoodie Cotton Fleece", "连帽卫衣 男 秋冬 加绒 宽松 纯色 外套", "hoodie", (59, 199)),
    ("Floral Eau de Toilette 50ml for Women", "女士香水 持久 淡香 清新 花香 50ml 学生", "perfume", (29, 129)),
    ("Hyaluronic Acid Face Serum 30ml", "玻尿酸 精华液 补水保湿 30ml 学生 平价", "dropper", (19, 89)),
    ("Moisturising Body Wash 1L Family Pack", "沐浴露 持久留香 家庭装 1L 滋润", "pump", (19, 59)),
    ("Handmade Goat Milk Soap Bar Pack of 3", "手工皂 羊奶皂 洁面 3块装", "soap", (15, 49)),
    ("Sorghum Baijiu 52% 500ml Local Distillery", "纯粮 高粱酒 52度 500ml 散装 白酒 自酿", "liquor", (29, 129)),
    ("LED Desk Lamp Eye Protection USB", "LED 台灯 护眼 学习 宿舍 充电", "box", (39, 129)),
    ("Yoga Mat 6mm Non Slip with Strap", "瑜伽垫 加厚 防滑 健身 6mm 家用", "box", (39, 99)),
    ("Ballpoint Pens Pack of 10 Blue", "中性笔 0.5mm 黑色 10支装 学生 办公", "box", (9, 29)),
)

UNRELATED_BRANDS_EN = ("Alisha", "Kasa", "Homely", "VIVID", "Urbano", "Trendz", "Royal Son", "Zoro", "Sparx",
                       "Mamba", "Kraasa", "Flash", "Allen Cooper", "Nivia", "Skechy", "boAt Style", "Noise Pro")

PROVINCES = (
    ("福建", ("莆田", "泉州", "晋江", "福州", "厦门")), ("广东", ("广州", "深圳", "东莞", "佛山", "汕头")),
    ("浙江", ("义乌", "温州", "杭州", "宁波")), ("江苏", ("苏州", "南京", "常州")), ("上海", ("上海",)),
    ("北京", ("北京",)), ("四川", ("成都", "宜宾")), ("贵州", ("贵阳", "遵义", "仁怀")), ("河北", ("石家庄", "保定")),
    ("山东", ("济南", "青岛", "烟台")), ("湖北", ("武汉",)), ("河南", ("郑州",)), ("湖南", ("长沙",)),
    ("陕西", ("西安",)), ("安徽", ("合肥",)), ("辽宁", ("沈阳", "大连")),
)
# counterfeit hubs are drawn more often for counterfeit shops
CF_HUBS = (("福建", "莆田"), ("福建", "晋江"), ("广东", "广州"), ("广东", "深圳"), ("浙江", "义乌"), ("广东", "东莞"))
PINYIN_PLACE = MappingProxyType({
    "福建": "Fujian", "广东": "Guangdong", "浙江": "Zhejiang", "江苏": "Jiangsu", "上海": "Shanghai",
    "北京": "Beijing", "四川": "Sichuan", "贵州": "Guizhou", "河北": "Hebei", "山东": "Shandong", "湖北": "Hubei",
    "河南": "Henan", "湖南": "Hunan", "陕西": "Shaanxi", "安徽": "Anhui", "辽宁": "Liaoning", "莆田": "Putian",
    "泉州": "Quanzhou", "晋江": "Jinjiang", "福州": "Fuzhou", "厦门": "Xiamen", "广州": "Guangzhou",
    "深圳": "Shenzhen", "东莞": "Dongguan", "佛山": "Foshan", "汕头": "Shantou", "义乌": "Yiwu", "温州": "Wenzhou",
    "杭州": "Hangzhou", "宁波": "Ningbo", "苏州": "Suzhou", "南京": "Nanjing", "常州": "Changzhou",
    "成都": "Chengdu", "宜宾": "Yibin", "贵阳": "Guiyang", "遵义": "Zunyi", "仁怀": "Renhuai",
    "石家庄": "Shijiazhuang", "保定": "Baoding", "济南": "Jinan", "青岛": "Qingdao", "烟台": "Yantai",
    "武汉": "Wuhan", "郑州": "Zhengzhou", "长沙": "Changsha", "西安": "Xi'an", "合肥": "Hefei", "沈阳": "Shenyang",
    "大连": "Dalian",
})
US_PLACES = ("Los Angeles, CA, United States", "New York, NY, United States", "Houston, TX, United States",
             "Miami, FL, United States", "London, United Kingdom", "Mumbai, India", "Istanbul, Turkey")
STREETS = ("工业路", "人民路", "建设路", "解放路", "中山路", "鞋都大道", "国际商贸城", "白云大道", "华强北路", "江滨路")

SHOP_EN_A = ("Sunny", "Golden", "Star", "Happy", "Lucky", "Prime", "Urban", "Best", "Global", "Top", "Smart",
             "Fashion", "Elite", "Dragon", "Ocean", "Summit")
SHOP_EN_B = ("Trade", "Outlet", "Store", "Mall", "Shop", "Boutique", "Deals", "Supply", "Direct", "Market",
             "Sports", "Style", "Goods", "Emporium")
SHOP_ZH_A = ("阿杰", "小林", "鑫源", "恒达", "潮流", "优品", "佳佳", "美美", "星辰", "大牌", "百搭", "品质", "金顺",
             "诚信", "老王", "华美", "好运", "东方", "宏发")
SHOP_ZH_B = ("潮鞋店", "精品店", "小店", "商行", "工厂店", "专营店", "百货", "生活馆", "数码", "鞋业", "皮具",
             "美妆", "酒行", "服饰", "贸易")
CF_SHOP_ZH = ("莆田鞋业工厂店", "潮鞋原单仓", "大牌尾货店", "外贸原单馆", "奢品代购屋", "名品折扣店", "运动潮品仓",
              "顶级复刻工作室", "官方正品店", "品牌折扣旗舰店", "运动旗舰店", "美妆旗舰店", "名酒旗舰店")
CF_SHOP_EN = ("Putian Good Shoes", "Luxury Replica House", "AAA Sneaker Plug", "Mirror Bags Studio",
              "Top Brand Outlet", "Factory Direct Luxury", "1:1 Kicks", "Designer Deals Official",
              "Brand Outlet Flagship", "Original Quality Store")
