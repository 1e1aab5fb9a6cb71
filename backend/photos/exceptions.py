from backend.errors import AppError, NotFound


class PhotoTooLarge(AppError):
    status_code = 413
    code = "photo_too_large"


class PhotoDimensionsTooLarge(PhotoTooLarge):
    """Too many pixels, however few bytes: citizens are told it is the picture's size."""

    code = "photo_dimensions_too_large"


class UnsupportedPhoto(AppError):
    status_code = 415
    code = "unsupported_photo"

    def __init__(self) -> None:
        super().__init__("only JPEG, PNG or WebP images are accepted")


class PhotoNotFound(NotFound):
    code = "photo_not_found"
