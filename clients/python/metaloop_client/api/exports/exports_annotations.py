from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.exports_annotations_format import ExportsAnnotationsFormat
from ...models.exports_annotations_pool import ExportsAnnotationsPool
from ...models.exports_annotations_state_type_0 import ExportsAnnotationsStateType0
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    project_id: int,
    *,
    format_: ExportsAnnotationsFormat | Unset = ExportsAnnotationsFormat.COCO,
    pool: ExportsAnnotationsPool | Unset = ExportsAnnotationsPool.ALL,
    state: ExportsAnnotationsStateType0 | None | Unset = UNSET,
    images: bool | Unset = True,
    ticket: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_pool: str | Unset = UNSET
    if not isinstance(pool, Unset):
        json_pool = pool.value

    params["pool"] = json_pool

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    elif isinstance(state, ExportsAnnotationsStateType0):
        json_state = state.value
    else:
        json_state = state
    params["state"] = json_state

    params["images"] = images

    json_ticket: None | str | Unset
    if isinstance(ticket, Unset):
        json_ticket = UNSET
    else:
        json_ticket = ticket
    params["ticket"] = json_ticket

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/projects/{project_id}/exports".format(
            project_id=quote(str(project_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | File]:
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
    format_: ExportsAnnotationsFormat | Unset = ExportsAnnotationsFormat.COCO,
    pool: ExportsAnnotationsPool | Unset = ExportsAnnotationsPool.ALL,
    state: ExportsAnnotationsStateType0 | None | Unset = UNSET,
    images: bool | Unset = True,
    ticket: None | str | Unset = UNSET,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | File]:
    """Annotations

     The project's annotations as a zip (streamed): COCO (`annotations.json`, `images/`),
    Pascal VOC (`Annotations/`, `JPEGImages/`, `ImageSets/Main/`) or YOLO (`data.yaml`,
    `images/{train,val}/`, `labels/{train,val}/`); adapt is train, holdout is val. Images are
    the files as uploaded, under their file names made unique. Accepts `?ticket=` (files).

    Args:
        project_id (int):
        format_ (ExportsAnnotationsFormat | Unset):  Default: ExportsAnnotationsFormat.COCO.
        pool (ExportsAnnotationsPool | Unset):  Default: ExportsAnnotationsPool.ALL.
        state (ExportsAnnotationsStateType0 | None | Unset): only images in this state (left out:
            all)
        images (bool | Unset): include the image files (originals) Default: True.
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | File]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        format_=format_,
        pool=pool,
        state=state,
        images=images,
        ticket=ticket,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    *,
    client: AuthenticatedClient,
    format_: ExportsAnnotationsFormat | Unset = ExportsAnnotationsFormat.COCO,
    pool: ExportsAnnotationsPool | Unset = ExportsAnnotationsPool.ALL,
    state: ExportsAnnotationsStateType0 | None | Unset = UNSET,
    images: bool | Unset = True,
    ticket: None | str | Unset = UNSET,
) -> ErrorBody | ErrorBody | HTTPValidationError | File | None:
    """Annotations

     The project's annotations as a zip (streamed): COCO (`annotations.json`, `images/`),
    Pascal VOC (`Annotations/`, `JPEGImages/`, `ImageSets/Main/`) or YOLO (`data.yaml`,
    `images/{train,val}/`, `labels/{train,val}/`); adapt is train, holdout is val. Images are
    the files as uploaded, under their file names made unique. Accepts `?ticket=` (files).

    Args:
        project_id (int):
        format_ (ExportsAnnotationsFormat | Unset):  Default: ExportsAnnotationsFormat.COCO.
        pool (ExportsAnnotationsPool | Unset):  Default: ExportsAnnotationsPool.ALL.
        state (ExportsAnnotationsStateType0 | None | Unset): only images in this state (left out:
            all)
        images (bool | Unset): include the image files (originals) Default: True.
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | File
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        format_=format_,
        pool=pool,
        state=state,
        images=images,
        ticket=ticket,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    format_: ExportsAnnotationsFormat | Unset = ExportsAnnotationsFormat.COCO,
    pool: ExportsAnnotationsPool | Unset = ExportsAnnotationsPool.ALL,
    state: ExportsAnnotationsStateType0 | None | Unset = UNSET,
    images: bool | Unset = True,
    ticket: None | str | Unset = UNSET,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | File]:
    """Annotations

     The project's annotations as a zip (streamed): COCO (`annotations.json`, `images/`),
    Pascal VOC (`Annotations/`, `JPEGImages/`, `ImageSets/Main/`) or YOLO (`data.yaml`,
    `images/{train,val}/`, `labels/{train,val}/`); adapt is train, holdout is val. Images are
    the files as uploaded, under their file names made unique. Accepts `?ticket=` (files).

    Args:
        project_id (int):
        format_ (ExportsAnnotationsFormat | Unset):  Default: ExportsAnnotationsFormat.COCO.
        pool (ExportsAnnotationsPool | Unset):  Default: ExportsAnnotationsPool.ALL.
        state (ExportsAnnotationsStateType0 | None | Unset): only images in this state (left out:
            all)
        images (bool | Unset): include the image files (originals) Default: True.
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | File]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        format_=format_,
        pool=pool,
        state=state,
        images=images,
        ticket=ticket,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    *,
    client: AuthenticatedClient,
    format_: ExportsAnnotationsFormat | Unset = ExportsAnnotationsFormat.COCO,
    pool: ExportsAnnotationsPool | Unset = ExportsAnnotationsPool.ALL,
    state: ExportsAnnotationsStateType0 | None | Unset = UNSET,
    images: bool | Unset = True,
    ticket: None | str | Unset = UNSET,
) -> ErrorBody | ErrorBody | HTTPValidationError | File | None:
    """Annotations

     The project's annotations as a zip (streamed): COCO (`annotations.json`, `images/`),
    Pascal VOC (`Annotations/`, `JPEGImages/`, `ImageSets/Main/`) or YOLO (`data.yaml`,
    `images/{train,val}/`, `labels/{train,val}/`); adapt is train, holdout is val. Images are
    the files as uploaded, under their file names made unique. Accepts `?ticket=` (files).

    Args:
        project_id (int):
        format_ (ExportsAnnotationsFormat | Unset):  Default: ExportsAnnotationsFormat.COCO.
        pool (ExportsAnnotationsPool | Unset):  Default: ExportsAnnotationsPool.ALL.
        state (ExportsAnnotationsStateType0 | None | Unset): only images in this state (left out:
            all)
        images (bool | Unset): include the image files (originals) Default: True.
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | File
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            format_=format_,
            pool=pool,
            state=state,
            images=images,
            ticket=ticket,
        )
    ).parsed
