package io.storyline.view;

/** A request parameter that cannot be used, with its name, for a 400 answer. */
public final class BadParameter extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public BadParameter(String parameter, String problem) {
        super("parameter " + parameter + " " + problem);
        this.parameter = parameter;
    }

    /** The parameter's name, as the client wrote it. */
    public String parameter() {
        return parameter;
    }
}
