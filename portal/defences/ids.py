"""Ids in URLs: digits that fit the database's integers. A longer number is not an id: it is
a 404 where it would otherwise overflow the database driver and answer 500."""


class IdConverter:
    regex = "[0-9]{1,18}"  # below 2**63 - 1, the largest id any supported database stores

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
