package io.storyline.web;

/** An answer other than 200, as JSON {@code {"error": message, "parameter": name}}. */
final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String parameter;

    HttpError(int status, String message) {
        this(status, message, null);
    }

    HttpError(int status, String message, String parameter) {
        super(message);
        this.status = status;
        this.parameter = parameter;
    }
}
