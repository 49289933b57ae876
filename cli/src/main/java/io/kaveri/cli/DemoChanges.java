package io.kaveri.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What the demo's change generator does next to the {@code users} and {@code follows} tables, and the people it
 * makes up. Pure, so the mix can be tested without a database: the table sizes stay within bounds, so a demo
 * left running for hours neither empties the tables nor grows them without limit.
 */
final class DemoChanges {

    /** A change, each done in a transaction of its own. */
    enum Kind {
        /** A new user, who follows a couple of others in the same transaction. */
        ADD_USER(15),
        /** A user moves country, changes email or name. */
        UPDATE_USER(30),
        /** A user deletes their account; their follows go with it (ON DELETE CASCADE, same transaction). */
        REMOVE_USER(10),
        FOLLOW(30),
        UNFOLLOW(15);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    /** A made-up user's columns. */
    record Person(String name, String email, String country) {
    }

    static final int MIN_USERS = 20;
    static final int MAX_USERS = 150;
    static final int MAX_FOLLOWS = 2_000;

    private static final List<String> FIRST = List.of("Aarav", "Diya", "Kavya", "Arjun", "Meena", "Ravi", "Anbu",
            "Lakshmi", "Vikram", "Priya", "Sara", "Noah", "Lena", "Mateo", "Yuki", "Amara", "Omar", "Ingrid");
    private static final List<String> LAST = List.of("Iyer", "Nair", "Reddy", "Gowda", "Menon", "Rao", "Pillai",
            "Schmidt", "Silva", "Tanaka", "Okafor", "Haddad", "Larsen", "Rossi", "Kowalski", "Murphy");
    static final List<String> COUNTRIES = List.of("IN", "IN", "IN", "US", "DE", "BR", "JP", "GB", "NG", "SG", "FR");

    private DemoChanges() {
    }

    /** The next change for tables of this size; a kind that would leave the bounds is never chosen. */
    static Kind next(int users, int follows, Random random) {
        List<Kind> allowed = new ArrayList<>(Kind.values().length);
        for (Kind kind : Kind.values()) {
            if (possible(kind, users, follows)) {
                allowed.add(kind);
            }
        }
        int total = allowed.stream().mapToInt(k -> k.weight).sum();
        int ticket = random.nextInt(total);
        for (Kind kind : allowed) {
            ticket -= kind.weight;
            if (ticket < 0) {
                return kind;
            }
        }
        throw new AssertionError("weights sum to " + total);
    }

    private static boolean possible(Kind kind, int users, int follows) {
        return switch (kind) {
            case ADD_USER -> users < MAX_USERS;
            case UPDATE_USER -> users > 0;
            case REMOVE_USER -> users > MIN_USERS;
            case FOLLOW -> users >= 2 && follows < MAX_FOLLOWS;
            case UNFOLLOW -> follows > 0;
        };
    }

    static Person person(Random random) {
        String first = pick(FIRST, random);
        String last = pick(LAST, random);
        return new Person(first + " " + last, email(first, last, random), pick(COUNTRIES, random));
    }

    static String email(String first, String last, Random random) {
        // example.com is reserved for documentation (RFC 2606): the demo never names a real mailbox.
        return (first + "." + last).toLowerCase(Locale.ROOT) + (1 + random.nextInt(999)) + "@example.com";
    }

    static String country(Random random) {
        return pick(COUNTRIES, random);
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }
}
