"""Hefei's jurisdictions and the industries, as they were when this migration was written.

The rows are copied here rather than read from apps/people/reference.py, so that editing the
live reference list never changes what this migration does; a change needs a new migration.
"""

from django.db import migrations

# (code, name, kind): the districts, counties, county-level city and development zones of
# Hefei (notice: 各县（市）区、开发区), then the city departments that verify city-owned units.
JURISDICTIONS = [
    ("yaohai", "瑶海区", "district"),
    ("luyang", "庐阳区", "district"),
    ("shushan", "蜀山区", "district"),
    ("baohe", "包河区", "district"),
    ("changfeng", "长丰县", "county"),
    ("feidong", "肥东县", "county"),
    ("feixi", "肥西县", "county"),
    ("lujiang", "庐江县", "county"),
    ("chaohu", "巢湖市", "county_city"),
    ("gaoxin", "高新区", "zone"),
    ("jingkai", "经开区", "zone"),
    ("xinzhan", "新站区", "zone"),
    ("city-education", "市教育局", "department"),
    ("city-health", "市卫生健康委", "department"),
    ("city-construction", "市城乡建设局", "department"),
    ("city-agriculture", "市农业农村局", "department"),
    ("city-industry", "市经济和信息化局", "department"),
    ("city-science", "市科技局", "department"),
    ("city-finance", "市财政局", "department"),
    ("city-culture", "市文化和旅游局", "department"),
    ("city-natural-resources", "市自然资源和规划局", "department"),
    ("city-transport", "市交通运输局", "department"),
    ("city-water", "市水务局", "department"),
    ("city-sasac", "市国资委", "department"),
]

INDUSTRIES = [
    ("general", "通用"),
    ("education", "教育"),
    ("health", "卫生健康"),
    ("engineering", "工程技术"),
    ("construction", "建设工程"),
    ("agriculture", "农业"),
    ("economics", "经济"),
    ("accounting", "会计"),
    ("culture", "文化艺术"),
    ("journalism", "新闻出版"),
    ("law", "法律"),
    ("research", "自然科学研究"),
]



def load(apps, schema_editor):
    jurisdiction_model = apps.get_model("people", "Jurisdiction")
    industry_model = apps.get_model("people", "Industry")
    for order, (code, name, kind) in enumerate(JURISDICTIONS, start=1):
        jurisdiction_model.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": order}
        )
    for code, name in INDUSTRIES:
        industry_model.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
