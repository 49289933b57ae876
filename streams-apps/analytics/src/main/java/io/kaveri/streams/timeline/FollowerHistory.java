package io.kaveri.streams.timeline;

import io.kaveri.schemas.social.Follow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The follow changes of one followee, kept so that "who followed them at time t" has an exact answer for every
 * t after the grace horizon, whatever order the changes arrived in. It is a versioned value done by hand: for
 * each follower, the last change at or before the horizon (dropped when it is an unfollow) and every change
 * after it, sorted by event time. A change older than what is kept for its follower is superseded and dropped.
 */
final class FollowerHistory {

    private static final Comparator<Follow> BY_TIME = Comparator.comparingLong(FollowerHistory::time)
            .thenComparing(f -> f.getFollowerId().toString());

    private FollowerHistory() {
    }

    /** When the change happened: the end of a follow for an unfollow, else its start. */
    static long time(Follow change) {
        return change.getUntil() != null ? change.getUntil().toEpochMilli() : change.getSince().toEpochMilli();
    }

    static boolean isFollow(Follow change) {
        return change.getUntil() == null;
    }

    /**
     * {@code history} with {@code change} in its place; a change of the same follower at the same millisecond is
     * replaced, so a redelivered change is harmless.
     */
    static List<Follow> apply(List<Follow> history, Follow change) {
        List<Follow> next = new ArrayList<>(history == null ? List.of() : history);
        String follower = change.getFollowerId().toString();
        long at = time(change);
        next.removeIf(f -> time(f) == at && f.getFollowerId().toString().equals(follower));
        next.add(change);
        next.sort(BY_TIME);
        return next;
    }

    /** The followers whose last change at or before {@code t} is a follow, sorted by id. */
    static List<String> followersAt(List<Follow> history, long t) {
        Map<String, Follow> last = new HashMap<>();
        if (history != null) {
            for (Follow change : history) {
                if (time(change) > t) {
                    break;
                }
                last.put(change.getFollowerId().toString(), change);
            }
        }
        TreeSet<String> followers = new TreeSet<>();
        last.forEach((follower, change) -> {
            if (isFollow(change)) {
                followers.add(follower);
            }
        });
        return List.copyOf(followers);
    }

    /**
     * Forgets what no on-time tweet can ask about any more: per follower, only the last change at or before
     * {@code horizon} is needed (and not even that when it is an unfollow). Empty when nothing remains.
     */
    static List<Follow> prune(List<Follow> history, long horizon) {
        Map<String, Follow> base = new HashMap<>();
        List<Follow> recent = new ArrayList<>();
        for (Follow change : history) {
            if (time(change) <= horizon) {
                base.put(change.getFollowerId().toString(), change);
            } else {
                recent.add(change);
            }
        }
        List<Follow> kept = new ArrayList<>(recent.size() + base.size());
        base.values().stream().filter(FollowerHistory::isFollow).forEach(kept::add);
        kept.addAll(recent);
        kept.sort(BY_TIME);
        return kept;
    }
}
