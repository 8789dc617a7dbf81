from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.accept_request import AcceptRequest
from ...models.accept_result import AcceptResult
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...types import Response


def _get_kwargs(
    project_id: int,
    *,
    body: AcceptRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/projects/{project_id}/predictions/accept".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AcceptResult | ErrorBody | ErrorBody | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = AcceptResult.from_dict(response.json())

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
) -> Response[AcceptResult | ErrorBody | ErrorBody | HTTPValidationError]:
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
    body: AcceptRequest,
) -> Response[AcceptResult | ErrorBody | ErrorBody | HTTPValidationError]:
    """Accept

     Turn predictions into annotations (source `accepted_prediction`): by ids, or all pending
    ones of a job with score ≥ min_score. Only on adapt images (409 for ids on holdout images;
    a bulk accept leaves them out and counts them). Each image that gains a box becomes
    `in_progress`, or `complete` with `complete: true`. A prediction whose object is boxed
    already (a box of its class at IoU >= 0.5) is left out and counted.

    Args:
        project_id (int):
        body (AcceptRequest): Accept predictions by id, or all pending ones of a job with a score
            of at least min_score.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AcceptResult | ErrorBody | ErrorBody | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: AcceptRequest,
) -> AcceptResult | ErrorBody | ErrorBody | HTTPValidationError | None:
    """Accept

     Turn predictions into annotations (source `accepted_prediction`): by ids, or all pending
    ones of a job with score ≥ min_score. Only on adapt images (409 for ids on holdout images;
    a bulk accept leaves them out and counts them). Each image that gains a box becomes
    `in_progress`, or `complete` with `complete: true`. A prediction whose object is boxed
    already (a box of its class at IoU >= 0.5) is left out and counted.

    Args:
        project_id (int):
        body (AcceptRequest): Accept predictions by id, or all pending ones of a job with a score
            of at least min_score.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AcceptResult | ErrorBody | ErrorBody | HTTPValidationError
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: AcceptRequest,
) -> Response[AcceptResult | ErrorBody | ErrorBody | HTTPValidationError]:
    """Accept

     Turn predictions into annotations (source `accepted_prediction`): by ids, or all pending
    ones of a job with score ≥ min_score. Only on adapt images (409 for ids on holdout images;
    a bulk accept leaves them out and counts them). Each image that gains a box becomes
    `in_progress`, or `complete` with `complete: true`. A prediction whose object is boxed
    already (a box of its class at IoU >= 0.5) is left out and counted.

    Args:
        project_id (int):
        body (AcceptRequest): Accept predictions by id, or all pending ones of a job with a score
            of at least min_score.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AcceptResult | ErrorBody | ErrorBody | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: AcceptRequest,
) -> AcceptResult | ErrorBody | ErrorBody | HTTPValidationError | None:
    """Accept

     Turn predictions into annotations (source `accepted_prediction`): by ids, or all pending
    ones of a job with score ≥ min_score. Only on adapt images (409 for ids on holdout images;
    a bulk accept leaves them out and counts them). Each image that gains a box becomes
    `in_progress`, or `complete` with `complete: true`. A prediction whose object is boxed
    already (a box of its class at IoU >= 0.5) is left out and counted.

    Args:
        project_id (int):
        body (AcceptRequest): Accept predictions by id, or all pending ones of a job with a score
            of at least min_score.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AcceptResult | ErrorBody | ErrorBody | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed
