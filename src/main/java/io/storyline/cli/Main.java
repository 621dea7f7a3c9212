package io.storyline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code storyline} command: wires subcommands, nothing else. */
@Command(name = "storyline", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Deduplicating news-feed aggregator: finds copies and groups articles "
                + "about the same event into stories.",
        subcommands = {ClusterCommand.class, EvalCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests call this to run commands in-process). */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
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
