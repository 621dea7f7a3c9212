package io.storyline.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code storyline} command: wires subcommands, nothing else. */
@Command(name = "storyline", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Deduplicating news-feed aggregator: finds copies and groups articles "
                + "about the same event into stories.",
        subcommands = {RunCommand.class, IngestCommand.class, DetectCommand.class,
                ServeCommand.class, FeedsCommand.class, DigestCommand.class,
                ClusterCommand.class, EvalCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests call this to run commands in-process). */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::reportBadInput);
    }

    /** Bad settings or unreadable files: one line naming the problem, exit code 2. */
    private static int reportBadInput(Exception e, CommandLine cmd,
            CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
            String cause = e.getCause() == null ? "" : ": " + e.getCause().getMessage();
            cmd.getErr().println("error: " + e.getMessage() + cause);
            return 2;
        }
        throw e;
    }

    /** Version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"storyline " + (v == null ? "development" : v)};
        }
    }
}
