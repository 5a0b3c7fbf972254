"""(Re)draw the sample catalog's logos and product photos and write ``catalog.json``.

Run from the repository root::

    python scripts/make_sample_catalog.py

Deterministic: the same Pillow version gives byte-identical files.  Brand names are real; the
registration numbers (``SAMPLE-0001`` ...), contacts and seller ids are fictional, and every image
is drawn by :mod:`brandsweep.marketplace_fixtures.drawing` (nothing is copied).  Product photos are redrawn
with the next seed until their 64-bit pHash is at least ``MIN_PHASH_DISTANCE`` bits from every
product drawn before, so each product is visually distinct.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import imagehash

from brandsweep.marketplace_fixtures.drawing import logo, product_photo

HERE = Path(__file__).resolve().parent.parent / "rightsholder_catalog" / "sample"

MIN_PHASH_DISTANCE = 22

# (rightsholder id, rightsholder name, contact, brand id, brand name, aliases,
#  marks [(word, office, nice classes, expires)], products [(id, name, msrp, kind)],
#  authorized sellers [(platform, seller_id, name)])
BRANDS: list[dict[str, Any]] = [
    dict(rh=("rh-001", "Nike Innovate C.V.", "brand-protection@nike.example"),
         brand=("nike", "Nike", ["耐克", "naike", "NIKE"]),
         marks=[("NIKE", "CNIPA", [25, 18, 28], "2031-03-14"), ("耐克", "CNIPA", [25, 28], "2030-09-27")],
         products=[("nike-pegasus-41", "Nike Air Zoom Pegasus 41 running shoe", 899.0, "shoe"),
                   ("nike-af1-07", "Nike Air Force 1 '07 sneaker", 799.0, "shoe"),
                   ("nike-tech-fleece", "Nike Sportswear Tech Fleece hoodie", 899.0, "hoodie")],
         sellers=[("shopfront", "nike-official", "Nike Official Store"),
                  ("taoshop", "nike-tmall", "Nike官方旗舰店")]),
    dict(rh=("rh-002", "adidas AG", "ip-enforcement@adidas.example"),
         brand=("adidas", "Adidas", ["阿迪达斯", "adidasi", "阿迪"]),
         marks=[("ADIDAS", "CNIPA", [25, 28, 18], "2032-06-30"), ("阿迪达斯", "CNIPA", [25], "2029-11-05")],
         products=[("adidas-ultraboost-light", "adidas Ultraboost Light running shoe", 1499.0, "shoe"),
                   ("adidas-samba-og", "adidas Samba OG shoe", 899.0, "shoe")],
         sellers=[("taoshop", "adidas-tmall", "adidas官方旗舰店"),
                  ("jsmall", "adidas-store", "adidas Store")]),
    dict(rh=("rh-003", "PUMA SE", "legal@puma.example"),
         brand=("puma", "Puma", ["彪马", "biaoma", "PUMA"]),
         marks=[("PUMA", "CNIPA", [25, 28], "2030-01-19"), ("彪马", "CNIPA", [25], "2031-08-08")],
         products=[("puma-suede-classic", "PUMA Suede Classic XXI sneaker", 599.0, "shoe"),
                   ("puma-palermo", "PUMA Palermo sneaker", 699.0, "shoe")],
         sellers=[("shopfront", "puma-official", "PUMA Official"),
                  ("partnerapi", "puma-partner", "PUMA中国官方")]),
    dict(rh=("rh-004", "Guccio Gucci S.p.A.", "ip@gucci.example"),
         brand=("gucci", "Gucci", ["古驰", "guchi", "GG"]),
         marks=[("GUCCI", "CNIPA", [18, 25, 14, 9], "2033-02-11"), ("古驰", "CNIPA", [18, 25], "2030-05-22")],
         products=[("gucci-gg-marmont", "Gucci GG Marmont small shoulder bag", 19500.0, "handbag"),
                   ("gucci-ace", "Gucci Ace leather sneaker", 5900.0, "shoe")],
         sellers=[("shopfront", "gucci-boutique", "GUCCI Boutique")]),
    dict(rh=("rh-005", "Louis Vuitton Malletier", "anti-counterfeiting@louisvuitton.example"),
         brand=("louis-vuitton", "Louis Vuitton", ["路易威登", "LV", "luyiweideng"]),
         marks=[("LOUIS VUITTON", "CNIPA", [18, 25, 14], "2032-10-03"), ("LV", "CNIPA", [18], "2031-12-17"),
                ("路易威登", "CNIPA", [18, 25], "2030-07-30")],
         products=[("lv-neverfull-mm", "Louis Vuitton Neverfull MM tote", 15500.0, "tote"),
                   ("lv-keepall-50", "Louis Vuitton Keepall Bandoulière 50 travel bag", 22000.0, "duffel")],
         sellers=[("taoshop", "lv-official", "Louis Vuitton 路易威登官方店")]),
    dict(rh=("rh-006", "Chanel SARL", "brand.protection@chanel.example"),
         brand=("chanel", "Chanel", ["香奈儿", "xiangnaier", "CC"]),
         marks=[("CHANEL", "CNIPA", [3, 18, 25, 14], "2031-04-09"), ("香奈儿", "CNIPA", [3, 18], "2029-10-12")],
         products=[("chanel-no5-edp-100", "Chanel N°5 Eau de Parfum 100 ml", 1650.0, "perfume"),
                   ("chanel-classic-flap", "Chanel Classic Flap Bag medium", 81100.0, "handbag")],
         sellers=[("shopfront", "chanel-beauty", "CHANEL Fragrance & Beauty"),
                  ("taoshop", "chanel-beauty-tm", "CHANEL香奈儿官方旗舰店")]),
    dict(rh=("rh-007", "Tapestry, Inc.", "ip@tapestry.example"),
         brand=("coach", "Coach", ["蔻驰", "kouchi", "COACH"]),
         marks=[("COACH", "CNIPA", [18, 25], "2030-06-01"), ("蔻驰", "CNIPA", [18], "2032-03-03")],
         products=[("coach-tabby-26", "Coach Tabby Shoulder Bag 26", 4500.0, "handbag"),
                   ("coach-willow-tote", "Coach Willow Tote", 3900.0, "tote")],
         sellers=[("shopfront", "coach-outlet-official", "COACH Official Outlet"),
                  ("jsmall", "coach-store", "Coach Store")]),
    dict(rh=("rh-008", "Apple Inc.", "ip-enforcement@apple.example"),
         brand=("apple", "Apple", ["苹果", "pingguo"]),
         marks=[("APPLE", "CNIPA", [9, 14, 42], "2033-09-09"), ("IPHONE", "CNIPA", [9], "2032-01-10"),
                ("AIRPODS", "CNIPA", [9], "2031-11-11")],
         products=[("apple-iphone-15-pro", "Apple iPhone 15 Pro 256GB", 8999.0, "phone"),
                   ("apple-airpods-pro-2", "Apple AirPods Pro (2nd generation)", 1899.0, "earbuds"),
                   ("apple-watch-s9", "Apple Watch Series 9 45mm", 2999.0, "watch")],
         sellers=[("taoshop", "apple-tmall", "Apple Store 官方旗舰店"),
                  ("jsmall", "apple-authorized", "Apple Authorized Reseller")]),
    dict(rh=("rh-009", "Huawei Technologies Co., Ltd.", "ipr@huawei.example"),
         brand=("huawei", "Huawei", ["华为", "HW"]),
         marks=[("HUAWEI", "CNIPA", [9, 38], "2032-05-05"), ("华为", "CNIPA", [9, 38], "2032-05-05")],
         products=[("huawei-mate-60-pro", "HUAWEI Mate 60 Pro 12GB+512GB", 6999.0, "phone"),
                   ("huawei-freebuds-pro-3", "HUAWEI FreeBuds Pro 3", 1499.0, "earbuds"),
                   ("huawei-watch-gt4", "HUAWEI WATCH GT 4 46mm", 1488.0, "watch")],
         sellers=[("taoshop", "huawei-flagship", "华为官方旗舰店"),
                  ("partnerapi", "huawei-partner", "HUAWEI官方授权")]),
    dict(rh=("rh-010", "Xiaomi Inc.", "ip@xiaomi.example"),
         brand=("xiaomi", "Xiaomi", ["小米", "MI", "Redmi", "红米"]),
         marks=[("XIAOMI", "CNIPA", [9, 7, 11], "2031-07-21"), ("小米", "CNIPA", [9], "2031-07-21"),
                ("REDMI", "CNIPA", [9], "2030-02-14")],
         products=[("xiaomi-14", "Xiaomi 14 12GB+256GB", 3999.0, "phone"),
                   ("redmi-note-13-pro", "Redmi Note 13 Pro 8GB+256GB", 1399.0, "phone"),
                   ("xiaomi-smart-band-8", "Xiaomi Smart Band 8", 239.0, "band")],
         sellers=[("taoshop", "xiaomi-flagship", "小米官方旗舰店"),
                  ("shopfront", "xiaomi-global", "Xiaomi Global Store")]),
    dict(rh=("rh-011", "Kweichow Moutai Co., Ltd.", "fangwei@moutai.example"),
         brand=("moutai", "Moutai", ["茅台", "贵州茅台", "飞天茅台", "maotai"]),
         marks=[("MOUTAI", "CNIPA", [33], "2034-01-01"), ("茅台", "CNIPA", [33], "2034-01-01")],
         products=[("moutai-feitian-53-500", "Kweichow Moutai Feitian 53% vol 500ml", 1499.0, "liquor"),
                   ("moutai-1935", "Moutai 1935 53% vol 500ml", 1188.0, "liquor")],
         sellers=[("taoshop", "moutai-flagship", "茅台官方旗舰店")]),
    dict(rh=("rh-012", "Wuliangye Yibin Co., Ltd.", "ip@wuliangye.example"),
         brand=("wuliangye", "Wuliangye", ["五粮液", "wuliangye", "WLY"]),
         marks=[("WULIANGYE", "CNIPA", [33], "2033-08-18"), ("五粮液", "CNIPA", [33], "2033-08-18")],
         products=[("wuliangye-8th-52-500", "Wuliangye 8th generation 52% vol 500ml", 1499.0, "liquor")],
         sellers=[("taoshop", "wuliangye-flagship", "五粮液官方旗舰店"),
                  ("partnerapi", "wuliangye-partner", "五粮液官方")]),
    dict(rh=("rh-013", "L'Oréal S.A.", "ip-luxe@loreal.example"),
         brand=("lancome", "Lancôme", ["兰蔻", "Lancome", "lankou"]),
         marks=[("LANCÔME", "CNIPA", [3], "2030-10-10"), ("兰蔻", "CNIPA", [3], "2030-10-10")],
         products=[("lancome-genifique-50", "Lancôme Advanced Génifique serum 50 ml", 1080.0, "dropper"),
                   ("lancome-la-vie-est-belle-50", "Lancôme La Vie est Belle EDP 50 ml", 1000.0, "perfume")],
         sellers=[("taoshop", "lancome-flagship", "兰蔻官方旗舰店"),
                  ("shopfront", "lancome-official", "Lancôme Official")]),
    dict(rh=("rh-014", "The Estée Lauder Companies Inc.", "brandprotection@elcompanies.example"),
         brand=("estee-lauder", "Estée Lauder", ["雅诗兰黛", "Estee Lauder", "EL", "yashilandai"]),
         marks=[("ESTÉE LAUDER", "CNIPA", [3], "2031-02-28"),
                ("雅诗兰黛", "CNIPA", [3], "2031-02-28")],
         products=[("el-anr-50", "Estée Lauder Advanced Night Repair serum 50 ml", 960.0, "dropper"),
                   ("el-double-wear", "Estée Lauder Double Wear foundation 30 ml", 430.0, "pump")],
         sellers=[("taoshop", "esteelauder-flagship", "雅诗兰黛官方旗舰店"),
                  ("jsmall", "esteelauder-store", "Estée Lauder Store")]),
    dict(rh=("rh-015", "Unilever PLC", "ip.enforcement@unilever.example"),
         brand=("dove", "Dove", ["多芬", "duofen", "DOVE"]),
         marks=[("DOVE", "CNIPA", [3, 5], "2029-12-31"), ("多芬", "CNIPA", [3], "2029-12-31")],
         products=[("dove-body-wash-1l", "Dove Deeply Nourishing body wash 1 L", 69.9, "pump"),
                   ("dove-beauty-bar-4", "Dove Beauty Cream Bar 4 × 90 g", 39.9, "soap")],
         sellers=[("shopfront", "unilever-official", "Unilever Official Store"),
                  ("partnerapi", "unilever-partner", "联合利华官方")]),
]


def build(out: Path = HERE) -> dict[str, Any]:
    """Draw every image under ``out`` and return the catalog document (also written to catalog.json)."""
    (out / "logos").mkdir(parents=True, exist_ok=True)
    (out / "products").mkdir(parents=True, exist_ok=True)
    accepted: list[imagehash.ImageHash] = []
    reg = 0
    rightsholders = []
    for entry in BRANDS:
        rh_id, rh_name, contact = entry["rh"]
        brand_id, brand_name, aliases = entry["brand"]
        marks = []
        for i, (word, office, classes, expires) in enumerate(entry["marks"]):
            reg += 1
            mark: dict[str, Any] = {"reg_no": f"SAMPLE-{reg:04d}", "office": office, "word": word,
                                    "nice_classes": classes, "expires": expires}
            if i == 0:
                path = f"logos/{brand_id}.png"
                logo(word, brand_id).save(out / path, optimize=True)
                mark["image"] = path
            marks.append(mark)
        products = []
        for pid, name, msrp, kind in entry["products"]:
            seed = 0
            while True:
                img = product_photo(kind, f"{pid}:{seed}")
                h = imagehash.phash(img)
                if all(h - other >= MIN_PHASH_DISTANCE for other in accepted):
                    break
                seed += 1
            accepted.append(h)
            path = f"products/{pid}.jpg"
            img.save(out / path, quality=82, optimize=True)
            products.append({"id": pid, "name": name, "msrp": msrp, "currency": "CNY", "images": [path]})
        sellers = [{"platform": p, "seller_id": s, "name": n} for p, s, n in entry["sellers"]]
        rightsholders.append({"id": rh_id, "name": rh_name, "contact": contact, "brands": [
            {"id": brand_id, "name": brand_name, "aliases": aliases, "marks": marks, "products": products,
             "authorized_sellers": sellers}]})
    doc = {"format": "brandsweep-catalog/1", "rightsholders": rightsholders}
    (out / "catalog.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return doc


if __name__ == "__main__":
    build()
