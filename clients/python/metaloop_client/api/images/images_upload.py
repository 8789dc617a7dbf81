from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.body_images_upload import BodyImagesUpload
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.image_out import ImageOut
from ...types import Response


def _get_kwargs(
    project_id: int,
    *,
    body: BodyImagesUpload,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/projects/{project_id}/images".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | list[ImageOut] | None:
    if response.status_code == 201:
        response_201 = []
        _response_201 = response.json()
        for response_201_item_data in _response_201:
            response_201_item = ImageOut.from_dict(response_201_item_data)

            response_201.append(response_201_item)

        return response_201

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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | list[ImageOut]]:
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
    body: BodyImagesUpload,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | list[ImageOut]]:
    """Upload

     Upload images; all or nothing: one bad file refuses the request and nothing is stored.

    An image is its file's bytes, once per project. A file already in this pool is that image
    again: it is answered with the existing row and nothing new is stored (the request is still
    201, also when no file was new). A file already in the project's other pool refuses the
    request with 409, naming that image (id, file name, pool). Identical files within a request
    are one image, named after the first. The answer lists each image once, in file order.

    Args:
        project_id (int):
        body (BodyImagesUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | list[ImageOut]]
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
    body: BodyImagesUpload,
) -> ErrorBody | ErrorBody | HTTPValidationError | list[ImageOut] | None:
    """Upload

     Upload images; all or nothing: one bad file refuses the request and nothing is stored.

    An image is its file's bytes, once per project. A file already in this pool is that image
    again: it is answered with the existing row and nothing new is stored (the request is still
    201, also when no file was new). A file already in the project's other pool refuses the
    request with 409, naming that image (id, file name, pool). Identical files within a request
    are one image, named after the first. The answer lists each image once, in file order.

    Args:
        project_id (int):
        body (BodyImagesUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | list[ImageOut]
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
    body: BodyImagesUpload,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | list[ImageOut]]:
    """Upload

     Upload images; all or nothing: one bad file refuses the request and nothing is stored.

    An image is its file's bytes, once per project. A file already in this pool is that image
    again: it is answered with the existing row and nothing new is stored (the request is still
    201, also when no file was new). A file already in the project's other pool refuses the
    request with 409, naming that image (id, file name, pool). Identical files within a request
    are one image, named after the first. The answer lists each image once, in file order.

    Args:
        project_id (int):
        body (BodyImagesUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | list[ImageOut]]
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
    body: BodyImagesUpload,
) -> ErrorBody | ErrorBody | HTTPValidationError | list[ImageOut] | None:
    """Upload

     Upload images; all or nothing: one bad file refuses the request and nothing is stored.

    An image is its file's bytes, once per project. A file already in this pool is that image
    again: it is answered with the existing row and nothing new is stored (the request is still
    201, also when no file was new). A file already in the project's other pool refuses the
    request with 409, naming that image (id, file name, pool). Identical files within a request
    are one image, named after the first. The answer lists each image once, in file order.

    Args:
        project_id (int):
        body (BodyImagesUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | list[ImageOut]
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed
