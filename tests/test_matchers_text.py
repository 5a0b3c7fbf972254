"""Brand text matching: every obfuscation kind is found, every lawful-use kind is not a lead."""

from __future__ import annotations

import pytest

from brandsweep.matchers import MatchConfig, Matcher
from brandsweep.matchers.types import AuthorizedSeller, Brand, ListingView, Mark, Product


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    brands = [
        Brand("nike", "Nike", "Nike Inc", aliases=("耐克",), marks=(Mark("US-NIKE", "NIKE"),),
              products=(Product("nk-air", "Nike Air Max 90 running shoe", 899.0, "CNY"),),
              authorized_sellers=(AuthorizedSeller("shopfront", "nike-official", "Nike Official Store"),)),
        Brand("apple", "Apple", "Apple Inc", aliases=("苹果",),
              marks=(Mark("US-APPLE", "APPLE"), Mark("US-IPHONE", "IPHONE")),
              products=(Product("ap-15", "Apple iPhone 15 smartphone 128GB", 5999.0, "CNY"),)),
        Brand("gucci", "Gucci", "Kering", aliases=("古驰",), marks=(Mark("IT-GUCCI", "GUCCI"),),
              products=(Product("gc-bag", "Gucci Marmont leather handbag", 15000.0, "CNY"),)),
        Brand("chanel", "Chanel", "Chanel SA", aliases=("香奈儿",), marks=(Mark("FR-CHANEL", "CHANEL"),),
              products=(Product("ch-5", "Chanel No5 perfume", 1200.0, "CNY"),)),
        Brand("adidas", "Adidas", "Adidas AG", aliases=("阿迪达斯",), marks=(Mark("DE-ADIDAS", "ADIDAS"),),
              products=(Product("ad-sc", "Adidas Superstar sneaker", 799.0, "CNY"),)),
        Brand("xiaomi", "Xiaomi", "Xiaomi Corp", aliases=("小米",), marks=(Mark("CN-MI", "小米"),),
              products=(Product("mi-14", "Xiaomi 14 手机 smartphone", 3999.0, "CNY"),)),
        Brand("huawei", "Huawei", "Huawei Tech", aliases=("华为",),
              marks=(Mark("CN-HW", "HUAWEI", nice_classes=(9,)),),
              products=(Product("hw-m60", "HUAWEI Mate 60 Pro 12GB+512GB", 6999.0, "CNY"),)),
        Brand("lv", "Louis Vuitton", "LVMH", aliases=("路易威登", "LV"), marks=(Mark("FR-LV", "LOUIS VUITTON"),),
              products=(Product("lv-nf", "Louis Vuitton Neverfull MM tote", 15500.0, "CNY"),)),
        Brand("coach", "Coach", "Tapestry", aliases=("蔻驰",),
              marks=(Mark("US-COACH", "COACH", nice_classes=(18, 25)),),
              products=(Product("co-tabby", "Coach Tabby Shoulder Bag 26", 4500.0, "CNY"),)),
        Brand("puma", "Puma", "Puma SE", aliases=("彪马",), marks=(Mark("DE-PUMA", "PUMA"),),
              products=(Product("pu-suede", "PUMA Suede Classic XXI sneaker", 599.0, "CNY"),)),
    ]
    return Matcher(brands, [], MatchConfig())


def view(title: str, price: float | None = 100.0, seller: str = "s-1", seller_name: str = "") -> ListingView:
    return ListingView("shopfront", "1", title, price=price, currency="CNY", seller_id=seller,
                       seller_name=seller_name)


@pytest.mark.parametrize(
    ("title", "brand", "code", "disguise"),
    [
        ("𝐆𝐮𝐜𝐜𝐢 Marmont bag", "gucci", "brand_obfuscated", "styled"),
        ("𝘽𝘼𝙇𝙀𝙉 Nіke sneakers", "nike", "brand_obfuscated", "homoglyph"),  # Cyrillic і
        ("Аdidas Superstar", "adidas", "brand_obfuscated", "homoglyph"),  # Cyrillic А
        ("Gυcci belt", "gucci", "brand_obfuscated", "homoglyph"),  # Greek upsilon
        ("N1KE air max", "nike", "brand_obfuscated", "leet"),
        ("GUCC1 bag", "gucci", "brand_obfuscated", "leet"),
        ("adid@s superstar", "adidas", "brand_obfuscated", "leet"),
        ("N.I.K.E air", "nike", "brand_obfuscated", "split"),
        ("N i k e shoes", "nike", "brand_obfuscated", "split"),
        ("耐-克 运动鞋", "nike", "brand_obfuscated", "split"),
        ("G*cci handbag", "gucci", "brand_masked", "masked"),
        ("古* 包包", "gucci", "brand_masked", "masked"),
        ("香～ 香水", "chanel", "brand_masked", "masked"),
        ("ＮＩＫＥ 运动鞋 full width", "nike", "brand_exact", None),
        ("阿迪達斯 運動鞋", "adidas", "brand_alias", None),  # Traditional -> Simplified
        ("naike yundongxie", "nike", "brand_pinyin", None),
        ("Adidos Superstar sneaker", "adidas", "brand_fuzzy", None),
        ("Cahnel No5 perfume", "chanel", "brand_fuzzy", None),  # neighbours swapped
        ("Lous Vuitton Neverfull tote", "lv", "brand_fuzzy", None),  # typo in a two-word name
        ("Nikke Air Max running shoe", "nike", "brand_fuzzy", None),  # doubled letter in a short name
        ("Pumma Suede Classic sneaker", "puma", "brand_fuzzy", None),  # ... of an ordinary word, in context
        ("H*U*A*W*E*I Mate 60 Pro", "huawei", "brand_obfuscated", "split"),
        ("L*o*u*i*s*V*u*i*t*t*o*n Neverfull", "lv", "brand_obfuscated", "split"),
        ("苹丶果 手机 高仿", "apple", "brand_obfuscated", "split"),
        ("ΝIKE Tech Fleece", "nike", "brand_obfuscated", "homoglyph"),  # Greek capital Nu
        ("Lou1s Vuitt0n Neverfull MM", "lv", "brand_obfuscated", "leet"),
        ("AD1DASSamba OG 小白鞋", "adidas", "brand_obfuscated", "leet"),  # run into the next word
        ("LOUIS VU*TTON Neverfull tote", "lv", "brand_masked", "masked"),
        ("古x Marmont 包包", "gucci", "brand_masked", "masked"),
        ("N家 小白鞋 运动鞋", "nike", "brand_codename", "codename"),
        ("古家 斜挎包 包包", "gucci", "brand_codename", "codename"),
        ("2025新款nai keAir Zoom", "nike", "brand_pinyin", None),
    ],
)
def test_obfuscations_are_found(matcher: Matcher, title: str, brand: str, code: str, disguise: str | None) -> None:
    res = matcher.match(view(title))
    assert res.brand_id == brand
    codes = {r.code: r.value for r in res.reasons}
    assert code in codes
    if disguise:
        assert disguise in codes["obfuscation"].split(",")


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("Silicone case for iPhone 15 Pro", "compatibility"),
        ("Charger compatible with Apple and Xiaomi phones", "compatibility"),
        ("Screen protector fits iPhone 15", "compatibility"),
        ("Replacement strap for use with Nike watch", "compatibility"),
        ("适用于苹果手机壳 防摔", "compatibility"),
        ("兼容小米 充电器 快充", "compatibility"),
        ("华为苹果专用数据线", "compatibility"),
        ("Fresh red apple 1kg from the farm", "ordinary_word"),
        ("Organic green apple and pear basket", "ordinary_word"),
        ("东北小米 5斤 新米", "ordinary_word"),
        ("新鲜苹果 水果 5斤", "ordinary_word"),
        ("华为66W超级快充 数据线 适用", "compatibility"),  # marker after the brand
        ("Car charger replacement for all phones Huawei Xiaomi", "compatibility"),
        ("Northeast Yellow Millet 2.5kg (Xiaomi)", "ordinary_word"),  # xiaomi = 小米 = millet
        ("Men's Coach Jacket Windbreaker Snap Button", "ordinary_word"),
        ("Mountain puma plush toy 30cm", "ordinary_word"),
    ],
)
def test_lawful_mentions_are_not_leads(matcher: Matcher, title: str, reason: str) -> None:
    res = matcher.match(view(title, price=5.0))
    assert not res.is_lead
    assert reason in {r.code for r in res.reasons}


@pytest.mark.parametrize(
    ("title", "price", "seller", "lead"),
    [
        ("Nike Air Max 90 running shoe", 880.0, "s-9", False),  # lawful resale at normal price
        ("Nike Air Max 90 running shoe", 880.0, "nike-official", False),  # the authorized seller
        ("Nike Air Max 90 复刻 1:1", 880.0, "nike-official", False),  # authorized trumps wording
        ("Nike Air Max 90 running shoe", 120.0, "s-9", True),  # far below MSRP
        ("Nike Air Max 90 replica", 880.0, "s-9", True),  # counterfeit wording
        ("Nike Air Max 90 running shoe", None, "s-9", False),  # no price, no evidence
        ("Apple iPhone 15 smartphone 高仿", 5000.0, "s-9", True),
    ],
)
def test_lead_decision(matcher: Matcher, title: str, price: float | None, seller: str, lead: bool) -> None:
    assert matcher.match(view(title, price=price, seller=seller)).is_lead is lead


def test_unauthorized_official_claim_is_evidence(matcher: Matcher) -> None:
    res = matcher.match(view("Nike Air Max 90 running shoe", price=880.0, seller_name="Nike 官方旗舰店"))
    assert "seller_unauthorized_official" in {r.code for r in res.reasons}
    assert res.is_lead


@pytest.mark.parametrize(
    ("title", "mark"),
    [("Apple iPhone 15 replica", "US-IPHONE"), ("Gucci bag replica", "IT-GUCCI"), ("小米 14 手机 高仿", "CN-MI")],
)
def test_lead_names_the_mark(matcher: Matcher, title: str, mark: str) -> None:
    res = matcher.match(view(title))
    assert res.is_lead
    assert res.mark_reg_no in {mark, "US-APPLE"} if res.brand_id == "apple" else res.mark_reg_no == mark


def test_reasons_render_as_codes(matcher: Matcher) -> None:
    res = matcher.match(view("Nike Air Max 90 1:1", price=150.0))
    text = res.reasons_text()
    assert text.startswith("brand_exact:nike;")
    assert "indicator:1:1" in text and "price_ratio:0.17" in text
    assert 0 <= res.score <= 100


@pytest.mark.parametrize(
    "title",
    [
        "Plain cotton t-shirt for men",
        "大家都在买的包 新款",  # 大家 'everyone' is no codename
        "沐浴露 持久留香 家庭装",  # 香家 only across a word boundary
        "Harp music stand",  # one edit from no brand, not a typo
        "Xbox 360 controller",  # x is a letter here
    ],
)
def test_no_brand_no_result(matcher: Matcher, title: str) -> None:
    res = matcher.match(view(title))
    assert res.brand_id is None and not res.is_lead and res.reasons == ()
