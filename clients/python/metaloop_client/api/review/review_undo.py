from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.review_undo import ReviewUndo
from ...models.review_undo_result import ReviewUndoResult
from ...types import Response


def _get_kwargs(
    project_id: int,
    *,
    body: ReviewUndo,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/projects/{project_id}/review/undo".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | ReviewUndoResult | None:
    if response.status_code == 200:
        response_200 = ReviewUndoResult.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | ReviewUndoResult]:
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
    body: ReviewUndo,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | ReviewUndoResult]:
    """Undo

     Revert a review action from the `undo` record `review/apply` answered: the annotations
    it created are deleted, the predictions' statuses and the images' states restored (an
    image's state as its remaining boxes allow). 409 if a listed annotation was not made by
    accepting a listed prediction.

    Args:
        project_id (int):
        body (ReviewUndo): What undoes a review action: the predictions' statuses and images'
            states before it, and
            the annotations it created (deleted again).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | ReviewUndoResult]
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
    body: ReviewUndo,
) -> ErrorBody | ErrorBody | HTTPValidationError | ReviewUndoResult | None:
    """Undo

     Revert a review action from the `undo` record `review/apply` answered: the annotations
    it created are deleted, the predictions' statuses and the images' states restored (an
    image's state as its remaining boxes allow). 409 if a listed annotation was not made by
    accepting a listed prediction.

    Args:
        project_id (int):
        body (ReviewUndo): What undoes a review action: the predictions' statuses and images'
            states before it, and
            the annotations it created (deleted again).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | ReviewUndoResult
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
    body: ReviewUndo,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | ReviewUndoResult]:
    """Undo

     Revert a review action from the `undo` record `review/apply` answered: the annotations
    it created are deleted, the predictions' statuses and the images' states restored (an
    image's state as its remaining boxes allow). 409 if a listed annotation was not made by
    accepting a listed prediction.

    Args:
        project_id (int):
        body (ReviewUndo): What undoes a review action: the predictions' statuses and images'
            states before it, and
            the annotations it created (deleted again).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | ReviewUndoResult]
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
    body: ReviewUndo,
) -> ErrorBody | ErrorBody | HTTPValidationError | ReviewUndoResult | None:
    """Undo

     Revert a review action from the `undo` record `review/apply` answered: the annotations
    it created are deleted, the predictions' statuses and the images' states restored (an
    image's state as its remaining boxes allow). 409 if a listed annotation was not made by
    accepting a listed prediction.

    Args:
        project_id (int):
        body (ReviewUndo): What undoes a review action: the predictions' statuses and images'
            states before it, and
            the annotations it created (deleted again).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | ReviewUndoResult
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed
