from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_event_out import AuditEventOut
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    action: None | str | Unset = UNSET,
    actor_id: int | None | Unset = UNSET,
    project_id: int | None | Unset = UNSET,
    before_id: int | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

    json_actor_id: int | None | Unset
    if isinstance(actor_id, Unset):
        json_actor_id = UNSET
    else:
        json_actor_id = actor_id
    params["actor_id"] = json_actor_id

    json_project_id: int | None | Unset
    if isinstance(project_id, Unset):
        json_project_id = UNSET
    else:
        json_project_id = project_id
    params["project_id"] = json_project_id

    json_before_id: int | None | Unset
    if isinstance(before_id, Unset):
        json_before_id = UNSET
    else:
        json_before_id = before_id
    params["before_id"] = json_before_id

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/audit",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | list[AuditEventOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = AuditEventOut.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 422:

        def _parse_response_422(data: object) -> ErrorBody | HTTPValidationError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_422_type_0 = ErrorBody.from_dict(data)

                return response_422_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_422_type_1 = HTTPValidationError.from_dict(data)

            return response_422_type_1

        response_422 = _parse_response_422(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | list[AuditEventOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    actor_id: int | None | Unset = UNSET,
    project_id: int | None | Unset = UNSET,
    before_id: int | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | list[AuditEventOut]]:
    """List

     Who did what, when: logins and failed logins, logouts, accounts, tokens, member and role
    changes, deletes, exports and worker credentials; newest first.

    Args:
        action (None | str | Unset): e.g. auth.login_failed
        actor_id (int | None | Unset):
        project_id (int | None | Unset):
        before_id (int | None | Unset): the last id of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | list[AuditEventOut]]
    """

    kwargs = _get_kwargs(
        action=action,
        actor_id=actor_id,
        project_id=project_id,
        before_id=before_id,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    actor_id: int | None | Unset = UNSET,
    project_id: int | None | Unset = UNSET,
    before_id: int | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> ErrorBody | ErrorBody | HTTPValidationError | list[AuditEventOut] | None:
    """List

     Who did what, when: logins and failed logins, logouts, accounts, tokens, member and role
    changes, deletes, exports and worker credentials; newest first.

    Args:
        action (None | str | Unset): e.g. auth.login_failed
        actor_id (int | None | Unset):
        project_id (int | None | Unset):
        before_id (int | None | Unset): the last id of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | list[AuditEventOut]
    """

    return sync_detailed(
        client=client,
        action=action,
        actor_id=actor_id,
        project_id=project_id,
        before_id=before_id,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    actor_id: int | None | Unset = UNSET,
    project_id: int | None | Unset = UNSET,
    before_id: int | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | list[AuditEventOut]]:
    """List

     Who did what, when: logins and failed logins, logouts, accounts, tokens, member and role
    changes, deletes, exports and worker credentials; newest first.

    Args:
        action (None | str | Unset): e.g. auth.login_failed
        actor_id (int | None | Unset):
        project_id (int | None | Unset):
        before_id (int | None | Unset): the last id of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | list[AuditEventOut]]
    """

    kwargs = _get_kwargs(
        action=action,
        actor_id=actor_id,
        project_id=project_id,
        before_id=before_id,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    actor_id: int | None | Unset = UNSET,
    project_id: int | None | Unset = UNSET,
    before_id: int | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> ErrorBody | ErrorBody | HTTPValidationError | list[AuditEventOut] | None:
    """List

     Who did what, when: logins and failed logins, logouts, accounts, tokens, member and role
    changes, deletes, exports and worker credentials; newest first.

    Args:
        action (None | str | Unset): e.g. auth.login_failed
        actor_id (int | None | Unset):
        project_id (int | None | Unset):
        before_id (int | None | Unset): the last id of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | list[AuditEventOut]
    """

    return (
        await asyncio_detailed(
            client=client,
            action=action,
            actor_id=actor_id,
            project_id=project_id,
            before_id=before_id,
            limit=limit,
        )
    ).parsed
