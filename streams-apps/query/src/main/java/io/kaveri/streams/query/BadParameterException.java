package io.kaveri.streams.query;

/** A query parameter that cannot be used; answered 400 with the parameter's name. */
final class BadParameterException extends RuntimeException {

    private final String parameter;

    BadParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
