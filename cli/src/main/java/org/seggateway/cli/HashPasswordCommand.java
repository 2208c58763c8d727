package org.seggateway.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints the bcrypt hash of an API user's password for {@code seg-gateway.users.NAME.password-hash}. The password is
 * never an argument (it would show in the process list and the shell history): it comes from
 * {@code $SEG_GATEWAY_PASSWORD}, else from stdin (its first line; asked twice without echo on a terminal).
 */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Prints the bcrypt hash of a password for seg-gateway.users.NAME.password-hash.",
                "The password comes from $SEG_GATEWAY_PASSWORD, else from stdin (first line), never from the command line.",
                "Each hash has its own random salt, so two hashes of one password differ; both are valid."})
final class HashPasswordCommand implements Callable<Integer> {
    @Option(names = "--cost", description = "bcrypt cost (log2 of the rounds), 10 to 31; each HTTP Basic request costs one"
            + " check of this cost, about 0.25 s of a core at 12 (default: ${DEFAULT-VALUE})", defaultValue = "12")
    int cost;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        char[] password = password();
        try {
            if (password.length == 0) throw new IllegalArgumentException("the password is empty");
            PrintWriter out = spec.commandLine().getOut();
            out.println(Bcrypt.hash(password, cost));
            out.flush();
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] password() throws IOException {
        String fromEnvironment = System.getenv("SEG_GATEWAY_PASSWORD");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) return fromEnvironment.toCharArray();
        Console console = System.console();
        if (console != null && console.isTerminal()) {
            char[] first = console.readPassword("password: "), second = console.readPassword("again: ");
            if (first == null || !Arrays.equals(first, second)) throw new IllegalArgumentException("the two passwords differ");
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) throw new IllegalArgumentException("no password: set SEG_GATEWAY_PASSWORD or write it to stdin");
        return line.toCharArray();
    }
}
