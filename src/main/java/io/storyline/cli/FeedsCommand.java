package io.storyline.cli;

import io.storyline.ingest.FeedProblem;
import io.storyline.ingest.FeedSpec;
import io.storyline.ingest.FeedState;
import io.storyline.ingest.Opml;
import io.storyline.pipeline.FeedRegistry;
import io.storyline.pipeline.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code storyline feeds}: edits the feed list in the {@value Topics#FEEDS} topic. */
@Command(name = "feeds", mixinStandardHelpOptions = true,
        description = "Show and edit the feed list (the " + Topics.FEEDS + " topic), "
                + "or move it to and from OPML.",
        subcommands = {FeedsCommand.Add.class, FeedsCommand.Remove.class,
                FeedsCommand.ListFeeds.class, FeedsCommand.Import.class,
                FeedsCommand.Export.class})
final class FeedsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "Missing subcommand: add, remove, list, import or export");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a feed, or change the title of a listed one.")
    static final class Add implements Callable<Integer> {

        @Parameters(paramLabel = "URL", description = "Feed URL: http, https or file.")
        String url;

        @Option(names = "--title", paramLabel = "TITLE", description = "Title for people.")
        String title;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            FeedSpec feed = new FeedSpec(url, title); // a bad URL fails before Kafka starts
            PrintWriter out = kafka.spec.commandLine().getOut();
            return kafka.withFeedRegistry(registry -> {
                out.println(registry.add(feed) ? "added " + feed.url()
                        : feed.url() + " is already listed");
                return 0;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a feed; exit code 1 if it is not listed.")
    static final class Remove implements Callable<Integer> {

        @Parameters(paramLabel = "URL", description = "Feed URL, as listed.")
        String url;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            String feed = url.strip();
            return kafka.withFeedRegistry(registry -> {
                if (!registry.remove(feed)) {
                    kafka.spec.commandLine().getErr().println(
                            "error: feed URL '" + feed + "' is not listed");
                    return 1;
                }
                kafka.spec.commandLine().getOut().println("removed " + feed);
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Print the feeds sorted by URL with their health, one per line, "
                    + "tab-separated under a header: URL, title, last poll, status (ok, "
                    + "failing (N in a row), gone (410: not polled again unless asked), or "
                    + "not polled yet), next poll and last problem "
                    + "(- for none); then the count.",
                    "Health comes from the ingestors' saved state (" + Topics.FEED_STATE
                    + "); times are UTC."})
    static final class ListFeeds implements Callable<Integer> {

        static final String HEADER = "URL\tTITLE\tLAST POLL\tSTATUS\tNEXT POLL\tLAST PROBLEM";

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            PrintWriter out = kafka.spec.commandLine().getOut();
            return kafka.withFeedRegistry(registry -> {
                List<FeedSpec> feeds = registry.list();
                Map<String, FeedState> states = registry.states();
                out.println(HEADER);
                feeds.forEach(feed -> out.println(line(feed, states.get(feed.url()))));
                out.println(count(feeds.size()));
                return 0;
            });
        }

        /** One feed's line; {@code state} is null for a feed no ingestor has polled yet. */
        static String line(FeedSpec feed, FeedState state) {
            String head = feed.url() + "\t" + feed.title() + "\t";
            if (state == null) {
                return head + "-\tnot polled yet\t-\t-";
            }
            // Ingestors save a state only after a poll: one without lastPoll predates the field.
            String status = state.gone() ? "gone"
                    : state.consecutiveFailures() > 0
                    ? "failing (" + state.consecutiveFailures() + " in a row)" : "ok";
            FeedProblem p = state.lastProblem();
            String problem = p == null ? "-"
                    : time(p.at()) + " " + p.what() + ": " + p.message().replace('\t', ' ')
                            .replace('\n', ' ');
            return head + time(state.lastPoll()) + "\t" + status + "\t"
                    + time(state.nextPoll()) + "\t" + problem;
        }

        private static String time(Instant t) {
            return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Add the feeds of an OPML file that are not listed yet.")
    static final class Import implements Callable<Integer> {

        @Parameters(paramLabel = "FILE.opml", description = "OPML 1.0 or 2.0; folders are "
                + "flattened.")
        Path file;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            PrintWriter err = kafka.spec.commandLine().getErr();
            List<FeedSpec> feeds = Opml.read(file, warning -> err.println("warning: "
                    + warning));
            return kafka.withFeedRegistry(registry -> {
                FeedRegistry.ImportResult result = registry.importAll(feeds);
                kafka.spec.commandLine().getOut().println("imported " + count(result.added())
                        + " from " + file + " (" + result.alreadyPresent()
                        + " already listed)");
                return 0;
            });
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the feed list as OPML 2.0, sorted by URL.")
    static final class Export implements Callable<Integer> {

        @Parameters(paramLabel = "FILE.opml", description = "Output file, or - for standard "
                + "output.")
        String file;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            PrintWriter out = kafka.spec.commandLine().getOut();
            return kafka.withFeedRegistry(registry -> {
                List<FeedSpec> feeds = registry.list();
                if (file.equals("-")) {
                    writeTo(out, feeds);
                } else {
                    Opml.write(feeds, Path.of(file));
                    out.println("exported " + count(feeds.size()) + " to " + file);
                }
                return 0;
            });
        }

        private static void writeTo(PrintWriter out, List<FeedSpec> feeds) {
            try {
                Opml.write(feeds, out);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write OPML to standard output", e);
            }
        }
    }

    private static String count(int feeds) {
        return feeds + (feeds == 1 ? " feed" : " feeds");
    }
}
