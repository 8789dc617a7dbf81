from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.images_list_count import ImagesListCount
from ...models.images_list_pool_type_0 import ImagesListPoolType0
from ...models.images_list_state_type_0 import ImagesListStateType0
from ...models.page_image_out import PageImageOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project_id: int,
    *,
    pool: ImagesListPoolType0 | None | Unset = UNSET,
    state: ImagesListStateType0 | None | Unset = UNSET,
    annotated: bool | None | Unset = UNSET,
    has_predictions: bool | None | Unset = UNSET,
    offset: int | Unset = 0,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    count: ImagesListCount | Unset = ImagesListCount.BOUNDED,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_pool: None | str | Unset
    if isinstance(pool, Unset):
        json_pool = UNSET
    elif isinstance(pool, ImagesListPoolType0):
        json_pool = pool.value
    else:
        json_pool = pool
    params["pool"] = json_pool

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    elif isinstance(state, ImagesListStateType0):
        json_state = state.value
    else:
        json_state = state
    params["state"] = json_state

    json_annotated: bool | None | Unset
    if isinstance(annotated, Unset):
        json_annotated = UNSET
    else:
        json_annotated = annotated
    params["annotated"] = json_annotated

    json_has_predictions: bool | None | Unset
    if isinstance(has_predictions, Unset):
        json_has_predictions = UNSET
    else:
        json_has_predictions = has_predictions
    params["has_predictions"] = json_has_predictions

    params["offset"] = offset

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_count: str | Unset = UNSET
    if not isinstance(count, Unset):
        json_count = count.value

    params["count"] = json_count

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/projects/{project_id}/images".format(
            project_id=quote(str(project_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | PageImageOut | None:
    if response.status_code == 200:
        response_200 = PageImageOut.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

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

    if response.status_code == 412:
        response_412 = ErrorBody.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | PageImageOut]:
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
    pool: ImagesListPoolType0 | None | Unset = UNSET,
    state: ImagesListStateType0 | None | Unset = UNSET,
    annotated: bool | None | Unset = UNSET,
    has_predictions: bool | None | Unset = UNSET,
    offset: int | Unset = 0,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    count: ImagesListCount | Unset = ImagesListCount.BOUNDED,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | PageImageOut]:
    """List

     The project's images in id order, filtered; page with `cursor` (or `offset`).

    Args:
        project_id (int):
        pool (ImagesListPoolType0 | None | Unset):
        state (ImagesListStateType0 | None | Unset):
        annotated (bool | None | Unset):
        has_predictions (bool | None | Unset):
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.
        count (ImagesListCount | Unset): `bounded` (default): count matches up to 10,000,
            `total_exact` says whether there are more; `exact`: count them all (slower on large
            projects) Default: ImagesListCount.BOUNDED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | PageImageOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        pool=pool,
        state=state,
        annotated=annotated,
        has_predictions=has_predictions,
        offset=offset,
        limit=limit,
        cursor=cursor,
        count=count,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    *,
    client: AuthenticatedClient,
    pool: ImagesListPoolType0 | None | Unset = UNSET,
    state: ImagesListStateType0 | None | Unset = UNSET,
    annotated: bool | None | Unset = UNSET,
    has_predictions: bool | None | Unset = UNSET,
    offset: int | Unset = 0,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    count: ImagesListCount | Unset = ImagesListCount.BOUNDED,
) -> ErrorBody | ErrorBody | HTTPValidationError | PageImageOut | None:
    """List

     The project's images in id order, filtered; page with `cursor` (or `offset`).

    Args:
        project_id (int):
        pool (ImagesListPoolType0 | None | Unset):
        state (ImagesListStateType0 | None | Unset):
        annotated (bool | None | Unset):
        has_predictions (bool | None | Unset):
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.
        count (ImagesListCount | Unset): `bounded` (default): count matches up to 10,000,
            `total_exact` says whether there are more; `exact`: count them all (slower on large
            projects) Default: ImagesListCount.BOUNDED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | PageImageOut
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        pool=pool,
        state=state,
        annotated=annotated,
        has_predictions=has_predictions,
        offset=offset,
        limit=limit,
        cursor=cursor,
        count=count,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    pool: ImagesListPoolType0 | None | Unset = UNSET,
    state: ImagesListStateType0 | None | Unset = UNSET,
    annotated: bool | None | Unset = UNSET,
    has_predictions: bool | None | Unset = UNSET,
    offset: int | Unset = 0,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    count: ImagesListCount | Unset = ImagesListCount.BOUNDED,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | PageImageOut]:
    """List

     The project's images in id order, filtered; page with `cursor` (or `offset`).

    Args:
        project_id (int):
        pool (ImagesListPoolType0 | None | Unset):
        state (ImagesListStateType0 | None | Unset):
        annotated (bool | None | Unset):
        has_predictions (bool | None | Unset):
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.
        count (ImagesListCount | Unset): `bounded` (default): count matches up to 10,000,
            `total_exact` says whether there are more; `exact`: count them all (slower on large
            projects) Default: ImagesListCount.BOUNDED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | PageImageOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        pool=pool,
        state=state,
        annotated=annotated,
        has_predictions=has_predictions,
        offset=offset,
        limit=limit,
        cursor=cursor,
        count=count,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    *,
    client: AuthenticatedClient,
    pool: ImagesListPoolType0 | None | Unset = UNSET,
    state: ImagesListStateType0 | None | Unset = UNSET,
    annotated: bool | None | Unset = UNSET,
    has_predictions: bool | None | Unset = UNSET,
    offset: int | Unset = 0,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    count: ImagesListCount | Unset = ImagesListCount.BOUNDED,
) -> ErrorBody | ErrorBody | HTTPValidationError | PageImageOut | None:
    """List

     The project's images in id order, filtered; page with `cursor` (or `offset`).

    Args:
        project_id (int):
        pool (ImagesListPoolType0 | None | Unset):
        state (ImagesListStateType0 | None | Unset):
        annotated (bool | None | Unset):
        has_predictions (bool | None | Unset):
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.
        count (ImagesListCount | Unset): `bounded` (default): count matches up to 10,000,
            `total_exact` says whether there are more; `exact`: count them all (slower on large
            projects) Default: ImagesListCount.BOUNDED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | PageImageOut
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            pool=pool,
            state=state,
            annotated=annotated,
            has_predictions=has_predictions,
            offset=offset,
            limit=limit,
            cursor=cursor,
            count=count,
        )
    ).parsed
