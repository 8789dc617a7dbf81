from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_event_out_detail import AuditEventOutDetail


T = TypeVar("T", bound="AuditEventOut")


@_attrs_define
class AuditEventOut:
    """
    Attributes:
        id (int):
        created_at (datetime.datetime):
        actor_id (int | None):
        actor (str): the username (kept after the account is deleted)
        action (str): e.g. auth.login, auth.login_failed, member.add, export.annotations
        project_id (int | None):
        target (str):
        address (str): the client's address
        detail (AuditEventOutDetail):
    """

    id: int
    created_at: datetime.datetime
    actor_id: int | None
    actor: str
    action: str
    project_id: int | None
    target: str
    address: str
    detail: AuditEventOutDetail
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        created_at = self.created_at.isoformat()

        actor_id: int | None
        actor_id = self.actor_id

        actor = self.actor

        action = self.action

        project_id: int | None
        project_id = self.project_id

        target = self.target

        address = self.address

        detail = self.detail.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "actor_id": actor_id,
                "actor": actor,
                "action": action,
                "project_id": project_id,
                "target": target,
                "address": address,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_event_out_detail import AuditEventOutDetail  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_actor_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        actor_id = _parse_actor_id(d.pop("actor_id"))

        actor = d.pop("actor")

        action = d.pop("action")

        def _parse_project_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        project_id = _parse_project_id(d.pop("project_id"))

        target = d.pop("target")

        address = d.pop("address")

        detail = AuditEventOutDetail.from_dict(d.pop("detail"))

        audit_event_out = cls(
            id=id,
            created_at=created_at,
            actor_id=actor_id,
            actor=actor,
            action=action,
            project_id=project_id,
            target=target,
            address=address,
            detail=detail,
        )

        audit_event_out.additional_properties = d
        return audit_event_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
