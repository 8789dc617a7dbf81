from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.job_out import JobOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project_id: int,
    *,
    state: None | str | Unset = UNSET,
    kind: None | str | Unset = UNSET,
    offset: int | Unset = 0,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    else:
        json_state = state
    params["state"] = json_state

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    else:
        json_kind = kind
    params["kind"] = json_kind

    params["offset"] = offset

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/projects/{project_id}/jobs".format(
            project_id=quote(str(project_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | list[JobOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = JobOut.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

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

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | list[JobOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    state: None | str | Unset = UNSET,
    kind: None | str | Unset = UNSET,
    offset: int | Unset = 0,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | list[JobOut]]:
    """List

     Newest first. When there are more, the `X-Next-Cursor` header (and `Link: rel="next"`)
    gives the `cursor` of the next page.

    Args:
        project_id (int):
        state (None | str | Unset):
        kind (None | str | Unset):
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | list[JobOut]]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        state=state,
        kind=kind,
        offset=offset,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    *,
    client: AuthenticatedClient,
    state: None | str | Unset = UNSET,
    kind: None | str | Unset = UNSET,
    offset: int | Unset = 0,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ErrorBody | ErrorBody | HTTPValidationError | list[JobOut] | None:
    """List

     Newest first. When there are more, the `X-Next-Cursor` header (and `Link: rel="next"`)
    gives the `cursor` of the next page.

    Args:
        project_id (int):
        state (None | str | Unset):
        kind (None | str | Unset):
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | list[JobOut]
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        state=state,
        kind=kind,
        offset=offset,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    state: None | str | Unset = UNSET,
    kind: None | str | Unset = UNSET,
    offset: int | Unset = 0,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | list[JobOut]]:
    """List

     Newest first. When there are more, the `X-Next-Cursor` header (and `Link: rel="next"`)
    gives the `cursor` of the next page.

    Args:
        project_id (int):
        state (None | str | Unset):
        kind (None | str | Unset):
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | list[JobOut]]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        state=state,
        kind=kind,
        offset=offset,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    *,
    client: AuthenticatedClient,
    state: None | str | Unset = UNSET,
    kind: None | str | Unset = UNSET,
    offset: int | Unset = 0,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ErrorBody | ErrorBody | HTTPValidationError | list[JobOut] | None:
    """List

     Newest first. When there are more, the `X-Next-Cursor` header (and `Link: rel="next"`)
    gives the `cursor` of the next page.

    Args:
        project_id (int):
        state (None | str | Unset):
        kind (None | str | Unset):
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | list[JobOut]
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            state=state,
            kind=kind,
            offset=offset,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
