package io.storyline.cli;

import io.storyline.digest.SendTime;
import io.storyline.digest.Subscriber;
import io.storyline.digest.Subscribers;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code storyline digest}: checks the digest subscribers and shows when each is sent. */
@Command(name = "digest", mixinStandardHelpOptions = true,
        description = "Daily digest emails. --list checks the subscribers file and prints "
                + "each subscriber's next send time (local and UTC).")
final class DigestCommand implements Callable<Integer> {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd HH:mm xxx");

    @Option(names = "--subscribers", paramLabel = "FILE",
            description = "Subscribers file (default: config/digests.yaml).")
    Path subscribers = Subscribers.DEFAULT_FILE;

    @Option(names = "--list", description = "Print each subscriber's next send time.")
    boolean list;

    @Mixin
    EngineOptions settings;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!list) {
            throw new ParameterException(spec.commandLine(), "Missing option: --list");
        }
        settings.settings(spec.commandLine().getErr()); // a bad settings file fails here too
        if (!Files.exists(subscribers)) {
            throw new IllegalArgumentException("subscribers file " + subscribers
                    + " does not exist");
        }
        List<Subscriber> all = Subscribers.load(subscribers);
        print(all, Instant.now(), spec.commandLine().getOut());
        return 0;
    }

    /** One subscriber a line, tab-separated, in file order. */
    static void print(List<Subscriber> all, Instant now, PrintWriter out) {
        out.println("EMAIL\tNAME\tZONE\tDIGEST OF\tNEXT SEND (LOCAL)\tNEXT SEND (UTC)");
        for (Subscriber s : all) {
            SendTime next = s.nextSend(now);
            out.println(s.email() + "\t" + s.name() + "\t" + s.zone() + "\t" + next.date() + "\t"
                    + LOCAL.format(next.at().atZone(s.zone())) + "\t" + next.at());
        }
        out.println(all.size() + (all.size() == 1 ? " subscriber" : " subscribers"));
        out.flush();
    }
}
