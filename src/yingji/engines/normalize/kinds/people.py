"""Kinds about people: rescue-team member rosters (队员名册)."""

from __future__ import annotations

from yingji.engines.normalize.columns import (
    Column,
    RegistrySpec,
    n_birth_date,
    n_citizen_id,
    n_phone,
    n_sex,
    n_text,
    n_township,
)
from yingji.engines.normalize.kinds.common import (
    TOWNSHIP,
    check_member,
)

RESCUE_TEAM_MEMBERS = RegistrySpec(
    "rescue-team-members",
    "应急救援队伍人员",
    (
        Column("name", "姓名", ("姓名", "队员姓名", "人员姓名"), n_text),
        Column(
            "id_number",
            "身份证号",
            ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码", "身份证件号码"),
            n_citizen_id,
            code=True,
        ),
        Column("sex", "性别", ("性别",), n_sex, required=False),
        Column(
            "birth_date",
            "出生日期",
            ("出生日期", "出生年月", "出生年月日", "生日"),
            n_birth_date,
            required=False,
        ),
        Column(
            "phone",
            "联系电话",
            (
                "联系电话",
                "手机",
                "手机号",
                "手机号码",
                "联系电话/手机",
                "电话",
                "联系方式",
                "移动电话",
            ),
            n_phone,
            code=True,
        ),
        Column(
            "team",
            "所属队伍",
            ("所属队伍", "队伍", "队伍名称", "救援队", "所在队伍", "所属救援队"),
            n_text,
        ),
        Column(
            "skills",
            "专业技能",
            ("专业技能", "技能", "特长", "专长", "专业特长", "技能特长"),
            n_text,
            required=False,
        ),
        Column("township", "乡镇", TOWNSHIP, n_township, required=False),
    ),
    ("id_number",),
    check_member,
)
