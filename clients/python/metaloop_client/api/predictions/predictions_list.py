from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.page_prediction_out import PagePredictionOut
from ...models.predictions_list_count import PredictionsListCount
from ...models.predictions_list_sort import PredictionsListSort
from ...models.predictions_list_status_type_0 import PredictionsListStatusType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project_id: int,
    *,
    job_id: int | None | Unset = UNSET,
    image_id: int | None | Unset = UNSET,
    status: None | PredictionsListStatusType0 | Unset = UNSET,
    min_score: float | None | Unset = UNSET,
    sort: PredictionsListSort | Unset = PredictionsListSort.UNCERTAINTY,
    offset: int | Unset = 0,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    count: PredictionsListCount | Unset = PredictionsListCount.BOUNDED,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_job_id: int | None | Unset
    if isinstance(job_id, Unset):
        json_job_id = UNSET
    else:
        json_job_id = job_id
    params["job_id"] = json_job_id

    json_image_id: int | None | Unset
    if isinstance(image_id, Unset):
        json_image_id = UNSET
    else:
        json_image_id = image_id
    params["image_id"] = json_image_id

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, PredictionsListStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_min_score: float | None | Unset
    if isinstance(min_score, Unset):
        json_min_score = UNSET
    else:
        json_min_score = min_score
    params["min_score"] = json_min_score

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

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
        "url": "/api/projects/{project_id}/predictions".format(
            project_id=quote(str(project_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | PagePredictionOut | None:
    if response.status_code == 200:
        response_200 = PagePredictionOut.from_dict(response.json())

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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | PagePredictionOut]:
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
    job_id: int | None | Unset = UNSET,
    image_id: int | None | Unset = UNSET,
    status: None | PredictionsListStatusType0 | Unset = UNSET,
    min_score: float | None | Unset = UNSET,
    sort: PredictionsListSort | Unset = PredictionsListSort.UNCERTAINTY,
    offset: int | Unset = 0,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    count: PredictionsListCount | Unset = PredictionsListCount.BOUNDED,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | PagePredictionOut]:
    """List

     Detections, most uncertain first by default (or by confidence, or by image id), ties
    broken by id; page with `cursor` (or `offset`).

    Args:
        project_id (int):
        job_id (int | None | Unset):
        image_id (int | None | Unset):
        status (None | PredictionsListStatusType0 | Unset):
        min_score (float | None | Unset):
        sort (PredictionsListSort | Unset):  Default: PredictionsListSort.UNCERTAINTY.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.
        count (PredictionsListCount | Unset): `bounded` (default): count matches up to 10,000,
            `total_exact` says whether there are more; `exact`: count them all (slower on large
            projects) Default: PredictionsListCount.BOUNDED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | PagePredictionOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        job_id=job_id,
        image_id=image_id,
        status=status,
        min_score=min_score,
        sort=sort,
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
    job_id: int | None | Unset = UNSET,
    image_id: int | None | Unset = UNSET,
    status: None | PredictionsListStatusType0 | Unset = UNSET,
    min_score: float | None | Unset = UNSET,
    sort: PredictionsListSort | Unset = PredictionsListSort.UNCERTAINTY,
    offset: int | Unset = 0,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    count: PredictionsListCount | Unset = PredictionsListCount.BOUNDED,
) -> ErrorBody | ErrorBody | HTTPValidationError | PagePredictionOut | None:
    """List

     Detections, most uncertain first by default (or by confidence, or by image id), ties
    broken by id; page with `cursor` (or `offset`).

    Args:
        project_id (int):
        job_id (int | None | Unset):
        image_id (int | None | Unset):
        status (None | PredictionsListStatusType0 | Unset):
        min_score (float | None | Unset):
        sort (PredictionsListSort | Unset):  Default: PredictionsListSort.UNCERTAINTY.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.
        count (PredictionsListCount | Unset): `bounded` (default): count matches up to 10,000,
            `total_exact` says whether there are more; `exact`: count them all (slower on large
            projects) Default: PredictionsListCount.BOUNDED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | PagePredictionOut
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        job_id=job_id,
        image_id=image_id,
        status=status,
        min_score=min_score,
        sort=sort,
        offset=offset,
        limit=limit,
        cursor=cursor,
        count=count,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    job_id: int | None | Unset = UNSET,
    image_id: int | None | Unset = UNSET,
    status: None | PredictionsListStatusType0 | Unset = UNSET,
    min_score: float | None | Unset = UNSET,
    sort: PredictionsListSort | Unset = PredictionsListSort.UNCERTAINTY,
    offset: int | Unset = 0,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    count: PredictionsListCount | Unset = PredictionsListCount.BOUNDED,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | PagePredictionOut]:
    """List

     Detections, most uncertain first by default (or by confidence, or by image id), ties
    broken by id; page with `cursor` (or `offset`).

    Args:
        project_id (int):
        job_id (int | None | Unset):
        image_id (int | None | Unset):
        status (None | PredictionsListStatusType0 | Unset):
        min_score (float | None | Unset):
        sort (PredictionsListSort | Unset):  Default: PredictionsListSort.UNCERTAINTY.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.
        count (PredictionsListCount | Unset): `bounded` (default): count matches up to 10,000,
            `total_exact` says whether there are more; `exact`: count them all (slower on large
            projects) Default: PredictionsListCount.BOUNDED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | PagePredictionOut]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        job_id=job_id,
        image_id=image_id,
        status=status,
        min_score=min_score,
        sort=sort,
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
    job_id: int | None | Unset = UNSET,
    image_id: int | None | Unset = UNSET,
    status: None | PredictionsListStatusType0 | Unset = UNSET,
    min_score: float | None | Unset = UNSET,
    sort: PredictionsListSort | Unset = PredictionsListSort.UNCERTAINTY,
    offset: int | Unset = 0,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    count: PredictionsListCount | Unset = PredictionsListCount.BOUNDED,
) -> ErrorBody | ErrorBody | HTTPValidationError | PagePredictionOut | None:
    """List

     Detections, most uncertain first by default (or by confidence, or by image id), ties
    broken by id; page with `cursor` (or `offset`).

    Args:
        project_id (int):
        job_id (int | None | Unset):
        image_id (int | None | Unset):
        status (None | PredictionsListStatusType0 | Unset):
        min_score (float | None | Unset):
        sort (PredictionsListSort | Unset):  Default: PredictionsListSort.UNCERTAINTY.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset): `next_cursor` of the previous page (same list, same sort):
            the page after it. Not with `offset`.
        count (PredictionsListCount | Unset): `bounded` (default): count matches up to 10,000,
            `total_exact` says whether there are more; `exact`: count them all (slower on large
            projects) Default: PredictionsListCount.BOUNDED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | PagePredictionOut
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            job_id=job_id,
            image_id=image_id,
            status=status,
            min_score=min_score,
            sort=sort,
            offset=offset,
            limit=limit,
            cursor=cursor,
            count=count,
        )
    ).parsed
