export namespace activity {
	
	export class FeedItem {
	    id: string;
	    connection: string;
	    platform: string;
	    remoteId: string;
	    kind: string;
	    memberId?: string;
	    at: time.Time;
	    channel?: string;
	    link?: string;
	    title?: string;
	    text?: string;
	    thread?: string;
	    createdAt: time.Time;
	    memberName?: string;
	
	    static createFrom(source: any = {}) {
	        return new FeedItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.connection = source["connection"];
	        this.platform = source["platform"];
	        this.remoteId = source["remoteId"];
	        this.kind = source["kind"];
	        this.memberId = source["memberId"];
	        this.at = this.convertValues(source["at"], time.Time);
	        this.channel = source["channel"];
	        this.link = source["link"];
	        this.title = source["title"];
	        this.text = source["text"];
	        this.thread = source["thread"];
	        this.createdAt = this.convertValues(source["createdAt"], time.Time);
	        this.memberName = source["memberName"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FeedPage {
	    items: FeedItem[];
	    next?: string;
	
	    static createFrom(source: any = {}) {
	        return new FeedPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], FeedItem);
	        this.next = source["next"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FeedQuery {
	    limit: number;
	    before?: string;
	    connection?: string;
	    kind?: string;
	    memberId?: string;
	
	    static createFrom(source: any = {}) {
	        return new FeedQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.limit = source["limit"];
	        this.before = source["before"];
	        this.connection = source["connection"];
	        this.kind = source["kind"];
	        this.memberId = source["memberId"];
	    }
	}

}

export namespace analytics {
	
	export class CampaignTotals {
	    newsletters: number;
	    recipients: number;
	    delivered: number;
	    bounced: number;
	    failed_temp: number;
	    unsubscribed: number;
	    engaged: number;
	    engaged_rate: number;
	    baseline_engaged: number;
	    baseline_engaged_rate: number;
	    conversions: number;
	
	    static createFrom(source: any = {}) {
	        return new CampaignTotals(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.newsletters = source["newsletters"];
	        this.recipients = source["recipients"];
	        this.delivered = source["delivered"];
	        this.bounced = source["bounced"];
	        this.failed_temp = source["failed_temp"];
	        this.unsubscribed = source["unsubscribed"];
	        this.engaged = source["engaged"];
	        this.engaged_rate = source["engaged_rate"];
	        this.baseline_engaged = source["baseline_engaged"];
	        this.baseline_engaged_rate = source["baseline_engaged_rate"];
	        this.conversions = source["conversions"];
	    }
	}
	export class CampaignResult {
	    id: string;
	    subject: string;
	    sent_at: time.Time;
	    recipients: number;
	    delivered: number;
	    bounced: number;
	    failed_temp: number;
	    unsubscribed: number;
	    engaged: number;
	    engaged_rate: number;
	    baseline_engaged: number;
	    baseline_engaged_rate: number;
	    conversions: number;
	
	    static createFrom(source: any = {}) {
	        return new CampaignResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.subject = source["subject"];
	        this.sent_at = this.convertValues(source["sent_at"], time.Time);
	        this.recipients = source["recipients"];
	        this.delivered = source["delivered"];
	        this.bounced = source["bounced"];
	        this.failed_temp = source["failed_temp"];
	        this.unsubscribed = source["unsubscribed"];
	        this.engaged = source["engaged"];
	        this.engaged_rate = source["engaged_rate"];
	        this.baseline_engaged = source["baseline_engaged"];
	        this.baseline_engaged_rate = source["baseline_engaged_rate"];
	        this.conversions = source["conversions"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CampaignReport {
	    from: time.Time;
	    to: time.Time;
	    newsletters: CampaignResult[];
	    totals: CampaignTotals;
	
	    static createFrom(source: any = {}) {
	        return new CampaignReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = this.convertValues(source["from"], time.Time);
	        this.to = this.convertValues(source["to"], time.Time);
	        this.newsletters = this.convertValues(source["newsletters"], CampaignResult);
	        this.totals = this.convertValues(source["totals"], CampaignTotals);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Cohort {
	    month: string;
	    size: number;
	    retention: number[];
	
	    static createFrom(source: any = {}) {
	        return new Cohort(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.month = source["month"];
	        this.size = source["size"];
	        this.retention = source["retention"];
	    }
	}
	export class DayPoint {
	    day: string;
	    activities: number;
	    active_members: number;
	    new_members: number;
	    members_total: number;
	
	    static createFrom(source: any = {}) {
	        return new DayPoint(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.day = source["day"];
	        this.activities = source["activities"];
	        this.active_members = source["active_members"];
	        this.new_members = source["new_members"];
	        this.members_total = source["members_total"];
	    }
	}
	export class Funnel {
	    members: number;
	    subscribers: number;
	    attendees: number;
	    goal: number;
	    subscriber_rate: number;
	    attendee_rate: number;
	    goal_rate: number;
	    conversion_rate: number;
	
	    static createFrom(source: any = {}) {
	        return new Funnel(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.members = source["members"];
	        this.subscribers = source["subscribers"];
	        this.attendees = source["attendees"];
	        this.goal = source["goal"];
	        this.subscriber_rate = source["subscriber_rate"];
	        this.attendee_rate = source["attendee_rate"];
	        this.goal_rate = source["goal_rate"];
	        this.conversion_rate = source["conversion_rate"];
	    }
	}
	export class RisingTopic {
	    word: string;
	    count: number;
	    previous: number;
	    change: number;
	
	    static createFrom(source: any = {}) {
	        return new RisingTopic(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.word = source["word"];
	        this.count = source["count"];
	        this.previous = source["previous"];
	        this.change = source["change"];
	    }
	}
	export class SentimentDay {
	    day: string;
	    positive: number;
	    negative: number;
	    neutral: number;
	
	    static createFrom(source: any = {}) {
	        return new SentimentDay(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.day = source["day"];
	        this.positive = source["positive"];
	        this.negative = source["negative"];
	        this.neutral = source["neutral"];
	    }
	}
	export class Sentiment {
	    positive: number;
	    negative: number;
	    neutral: number;
	    score: number;
	    daily: SentimentDay[];
	
	    static createFrom(source: any = {}) {
	        return new Sentiment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.positive = source["positive"];
	        this.negative = source["negative"];
	        this.neutral = source["neutral"];
	        this.score = source["score"];
	        this.daily = this.convertValues(source["daily"], SentimentDay);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SuperUser {
	    member_id: string;
	    name: string;
	    score: number;
	    level: number;
	    counts: Record<string, number>;
	    last_active: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new SuperUser(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.member_id = source["member_id"];
	        this.name = source["name"];
	        this.score = source["score"];
	        this.level = source["level"];
	        this.counts = source["counts"];
	        this.last_active = this.convertValues(source["last_active"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LevelCount {
	    level: number;
	    name: string;
	    members: number;
	    promoted: number;
	    demoted: number;
	
	    static createFrom(source: any = {}) {
	        return new LevelCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.level = source["level"];
	        this.name = source["name"];
	        this.members = source["members"];
	        this.promoted = source["promoted"];
	        this.demoted = source["demoted"];
	    }
	}
	export class KPIs {
	    from: time.Time;
	    to: time.Time;
	    members_total: number;
	    members_new: number;
	    members_churned: number;
	    members_active: number;
	    dau: number;
	    wau: number;
	    mau: number;
	    stickiness: number;
	    growth_rate: number;
	    engagement_rate: number;
	    activities: number;
	    activities_by_kind: Record<string, number>;
	    activities_by_channel: Record<string, number>;
	    daily: DayPoint[];
	    cohorts: Cohort[];
	    levels: LevelCount[];
	    super_users: SuperUser[];
	    gone_quiet: SuperUser[];
	    sentiment: Sentiment;
	    rising_topics: RisingTopic[];
	    questions: number;
	    questions_answered: number;
	    answer_rate: number;
	    median_response_seconds: number;
	    response_time_p90_seconds: number;
	    previous?: KPIs;
	
	    static createFrom(source: any = {}) {
	        return new KPIs(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = this.convertValues(source["from"], time.Time);
	        this.to = this.convertValues(source["to"], time.Time);
	        this.members_total = source["members_total"];
	        this.members_new = source["members_new"];
	        this.members_churned = source["members_churned"];
	        this.members_active = source["members_active"];
	        this.dau = source["dau"];
	        this.wau = source["wau"];
	        this.mau = source["mau"];
	        this.stickiness = source["stickiness"];
	        this.growth_rate = source["growth_rate"];
	        this.engagement_rate = source["engagement_rate"];
	        this.activities = source["activities"];
	        this.activities_by_kind = source["activities_by_kind"];
	        this.activities_by_channel = source["activities_by_channel"];
	        this.daily = this.convertValues(source["daily"], DayPoint);
	        this.cohorts = this.convertValues(source["cohorts"], Cohort);
	        this.levels = this.convertValues(source["levels"], LevelCount);
	        this.super_users = this.convertValues(source["super_users"], SuperUser);
	        this.gone_quiet = this.convertValues(source["gone_quiet"], SuperUser);
	        this.sentiment = this.convertValues(source["sentiment"], Sentiment);
	        this.rising_topics = this.convertValues(source["rising_topics"], RisingTopic);
	        this.questions = source["questions"];
	        this.questions_answered = source["questions_answered"];
	        this.answer_rate = source["answer_rate"];
	        this.median_response_seconds = source["median_response_seconds"];
	        this.response_time_p90_seconds = source["response_time_p90_seconds"];
	        this.previous = this.convertValues(source["previous"], KPIs);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Milestone {
	    level: number;
	    min_score: number;
	    active_days: number;
	
	    static createFrom(source: any = {}) {
	        return new Milestone(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.level = source["level"];
	        this.min_score = source["min_score"];
	        this.active_days = source["active_days"];
	    }
	}
	export class LevelSettings {
	    weights: Record<string, number>;
	    milestones: Milestone[];
	    score_window_days: number;
	    team_tags: string[];
	    goal_tags: string[];
	
	    static createFrom(source: any = {}) {
	        return new LevelSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.weights = source["weights"];
	        this.milestones = this.convertValues(source["milestones"], Milestone);
	        this.score_window_days = source["score_window_days"];
	        this.team_tags = source["team_tags"];
	        this.goal_tags = source["goal_tags"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ROI {
	    currency: string;
	    cost: number;
	    conversions: number;
	    value: number;
	    roi?: number;
	
	    static createFrom(source: any = {}) {
	        return new ROI(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.currency = source["currency"];
	        this.cost = source["cost"];
	        this.conversions = source["conversions"];
	        this.value = source["value"];
	        this.roi = source["roi"];
	    }
	}
	export class ROISettings {
	    cost_per_month: number;
	    value_per_conversion: number;
	    currency: string;
	
	    static createFrom(source: any = {}) {
	        return new ROISettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.cost_per_month = source["cost_per_month"];
	        this.value_per_conversion = source["value_per_conversion"];
	        this.currency = source["currency"];
	    }
	}
	
	
	

}

export namespace app {
	
	export class ConnectionStatus {
	    connection: string;
	    online: boolean;
	    checkedAt: time.Time;
	    lastError?: string;
	    lastErrorKind?: string;
	    authFailed?: boolean;
	    pausedUntil: time.Time;
	    cursor?: string;
	    lastPullAt: time.Time;
	    pulledPeople: number;
	    pulledActivity: number;
	    pushed: number;
	    queued: number;
	    parked: number;
	    name: string;
	    platform: string;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connection = source["connection"];
	        this.online = source["online"];
	        this.checkedAt = this.convertValues(source["checkedAt"], time.Time);
	        this.lastError = source["lastError"];
	        this.lastErrorKind = source["lastErrorKind"];
	        this.authFailed = source["authFailed"];
	        this.pausedUntil = this.convertValues(source["pausedUntil"], time.Time);
	        this.cursor = source["cursor"];
	        this.lastPullAt = this.convertValues(source["lastPullAt"], time.Time);
	        this.pulledPeople = source["pulledPeople"];
	        this.pulledActivity = source["pulledActivity"];
	        this.pushed = source["pushed"];
	        this.queued = source["queued"];
	        this.parked = source["parked"];
	        this.name = source["name"];
	        this.platform = source["platform"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FunnelResult {
	    funnel: analytics.Funnel;
	    roi: analytics.ROI;
	
	    static createFrom(source: any = {}) {
	        return new FunnelResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.funnel = this.convertValues(source["funnel"], analytics.Funnel);
	        this.roi = this.convertValues(source["roi"], analytics.ROI);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SyncOverview {
	    running: boolean;
	    lastRunAt: time.Time;
	    queued: number;
	    parked: number;
	    connections: ConnectionStatus[];
	
	    static createFrom(source: any = {}) {
	        return new SyncOverview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.lastRunAt = this.convertValues(source["lastRunAt"], time.Time);
	        this.queued = source["queued"];
	        this.parked = source["parked"];
	        this.connections = this.convertValues(source["connections"], ConnectionStatus);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TestResult {
	    ok: boolean;
	    kind?: string;
	    message: string;
	    checkedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new TestResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.kind = source["kind"];
	        this.message = source["message"];
	        this.checkedAt = this.convertValues(source["checkedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class WorkspaceInfo {
	    id: string;
	    name: string;
	    dir: string;
	    schemaVersion: number;
	    createdAt: time.Time;
	    memberCount: number;
	
	    static createFrom(source: any = {}) {
	        return new WorkspaceInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.dir = source["dir"];
	        this.schemaVersion = source["schemaVersion"];
	        this.createdAt = this.convertValues(source["createdAt"], time.Time);
	        this.memberCount = source["memberCount"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace audit {
	
	export class Entry {
	    id: string;
	    at: time.Time;
	    actor: string;
	    action: string;
	    memberId: string;
	    details: string;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = this.convertValues(source["at"], time.Time);
	        this.actor = source["actor"];
	        this.action = source["action"];
	        this.memberId = source["memberId"];
	        this.details = source["details"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace automations {
	
	export class Step {
	    id: string;
	    kind: string;
	    days?: number;
	    subject?: string;
	    bodyMarkdown?: string;
	    purpose?: string;
	    tag?: string;
	    taskTitle?: string;
	    taskDueDays?: number;
	
	    static createFrom(source: any = {}) {
	        return new Step(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.days = source["days"];
	        this.subject = source["subject"];
	        this.bodyMarkdown = source["bodyMarkdown"];
	        this.purpose = source["purpose"];
	        this.tag = source["tag"];
	        this.taskTitle = source["taskTitle"];
	        this.taskDueDays = source["taskDueDays"];
	    }
	}
	export class Trigger {
	    kind: string;
	    tag?: string;
	    purpose?: string;
	    field?: string;
	    days?: number;
	
	    static createFrom(source: any = {}) {
	        return new Trigger(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.tag = source["tag"];
	        this.purpose = source["purpose"];
	        this.field = source["field"];
	        this.days = source["days"];
	    }
	}
	export class Automation {
	    id: string;
	    name: string;
	    enabled: boolean;
	    trigger: Trigger;
	    steps: Step[];
	    builtin?: string;
	    enabledAt: time.Time;
	    createdAt: time.Time;
	    updatedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Automation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.enabled = source["enabled"];
	        this.trigger = this.convertValues(source["trigger"], Trigger);
	        this.steps = this.convertValues(source["steps"], Step);
	        this.builtin = source["builtin"];
	        this.enabledAt = this.convertValues(source["enabledAt"], time.Time);
	        this.createdAt = this.convertValues(source["createdAt"], time.Time);
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StepRun {
	    step: number;
	    stepId: string;
	    kind: string;
	    key: string;
	    startedAt: time.Time;
	    doneAt: time.Time;
	    outcome?: string;
	
	    static createFrom(source: any = {}) {
	        return new StepRun(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.step = source["step"];
	        this.stepId = source["stepId"];
	        this.kind = source["kind"];
	        this.key = source["key"];
	        this.startedAt = this.convertValues(source["startedAt"], time.Time);
	        this.doneAt = this.convertValues(source["doneAt"], time.Time);
	        this.outcome = source["outcome"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Enrolment {
	    id: string;
	    automationId: string;
	    memberId: string;
	    occurrence?: string;
	    status: string;
	    step: number;
	    nextAt: time.Time;
	    enrolledAt: time.Time;
	    updatedAt: time.Time;
	    attempts?: number;
	    lastError?: string;
	    history: StepRun[];
	
	    static createFrom(source: any = {}) {
	        return new Enrolment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.automationId = source["automationId"];
	        this.memberId = source["memberId"];
	        this.occurrence = source["occurrence"];
	        this.status = source["status"];
	        this.step = source["step"];
	        this.nextAt = this.convertValues(source["nextAt"], time.Time);
	        this.enrolledAt = this.convertValues(source["enrolledAt"], time.Time);
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	        this.attempts = source["attempts"];
	        this.lastError = source["lastError"];
	        this.history = this.convertValues(source["history"], StepRun);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Input {
	    id: string;
	    name: string;
	    trigger: Trigger;
	    steps: Step[];
	
	    static createFrom(source: any = {}) {
	        return new Input(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.trigger = this.convertValues(source["trigger"], Trigger);
	        this.steps = this.convertValues(source["steps"], Step);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	

}

export namespace calendar {
	
	export class Attachment {
	    name: string;
	    path: string;
	    size: number;
	
	    static createFrom(source: any = {}) {
	        return new Attachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.path = source["path"];
	        this.size = source["size"];
	    }
	}
	export class Slot {
	    weekday: string;
	    time: string;
	
	    static createFrom(source: any = {}) {
	        return new Slot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.weekday = source["weekday"];
	        this.time = source["time"];
	    }
	}
	export class ChannelSlots {
	    channel: string;
	    timeZone: string;
	    slots: Slot[];
	
	    static createFrom(source: any = {}) {
	        return new ChannelSlots(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.channel = source["channel"];
	        this.timeZone = source["timeZone"];
	        this.slots = this.convertValues(source["slots"], Slot);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Recurrence {
	    freq: string;
	    interval: number;
	    weekdays: string[];
	    monthDay: number;
	    week: number;
	    until: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new Recurrence(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.freq = source["freq"];
	        this.interval = source["interval"];
	        this.weekdays = source["weekdays"];
	        this.monthDay = source["monthDay"];
	        this.week = source["week"];
	        this.until = source["until"];
	        this.count = source["count"];
	    }
	}
	export class CreateInput {
	    kind: string;
	    title: string;
	    body: string;
	    channels: string[];
	    status: string;
	    assignee: string;
	    campaign: string;
	    notes: string;
	    timeZone: string;
	    at: time.Time;
	    repeat?: Recurrence;
	    latePolicy: string;
	    graceMinutes: number;
	    attach: string[];
	
	    static createFrom(source: any = {}) {
	        return new CreateInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.title = source["title"];
	        this.body = source["body"];
	        this.channels = source["channels"];
	        this.status = source["status"];
	        this.assignee = source["assignee"];
	        this.campaign = source["campaign"];
	        this.notes = source["notes"];
	        this.timeZone = source["timeZone"];
	        this.at = this.convertValues(source["at"], time.Time);
	        this.repeat = this.convertValues(source["repeat"], Recurrence);
	        this.latePolicy = source["latePolicy"];
	        this.graceMinutes = source["graceMinutes"];
	        this.attach = source["attach"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Item {
	    id: string;
	    kind: string;
	    title: string;
	    body: string;
	    attachments: Attachment[];
	    channels: string[];
	    status: string;
	    assignee: string;
	    campaign: string;
	    notes: string;
	    timeZone: string;
	    at: time.Time;
	    repeat?: Recurrence;
	    latePolicy: string;
	    graceMinutes: number;
	    scheduledAt: time.Time;
	    through: time.Time;
	    createdAt: time.Time;
	    updatedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Item(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.title = source["title"];
	        this.body = source["body"];
	        this.attachments = this.convertValues(source["attachments"], Attachment);
	        this.channels = source["channels"];
	        this.status = source["status"];
	        this.assignee = source["assignee"];
	        this.campaign = source["campaign"];
	        this.notes = source["notes"];
	        this.timeZone = source["timeZone"];
	        this.at = this.convertValues(source["at"], time.Time);
	        this.repeat = this.convertValues(source["repeat"], Recurrence);
	        this.latePolicy = source["latePolicy"];
	        this.graceMinutes = source["graceMinutes"];
	        this.scheduledAt = this.convertValues(source["scheduledAt"], time.Time);
	        this.through = this.convertValues(source["through"], time.Time);
	        this.createdAt = this.convertValues(source["createdAt"], time.Time);
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ListQuery {
	    from: time.Time;
	    to: time.Time;
	    channel: string;
	
	    static createFrom(source: any = {}) {
	        return new ListQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = this.convertValues(source["from"], time.Time);
	        this.to = this.convertValues(source["to"], time.Time);
	        this.channel = source["channel"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Occurrence {
	    itemId: string;
	    original: time.Time;
	    at: time.Time;
	    status: string;
	    late: boolean;
	    moved: boolean;
	    recurring: boolean;
	    reason?: string;
	    kind: string;
	    title: string;
	    channels: string[];
	    campaign: string;
	    assignee: string;
	    timeZone: string;
	
	    static createFrom(source: any = {}) {
	        return new Occurrence(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.itemId = source["itemId"];
	        this.original = this.convertValues(source["original"], time.Time);
	        this.at = this.convertValues(source["at"], time.Time);
	        this.status = source["status"];
	        this.late = source["late"];
	        this.moved = source["moved"];
	        this.recurring = source["recurring"];
	        this.reason = source["reason"];
	        this.kind = source["kind"];
	        this.title = source["title"];
	        this.channels = source["channels"];
	        this.campaign = source["campaign"];
	        this.assignee = source["assignee"];
	        this.timeZone = source["timeZone"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Patch {
	    kind?: string;
	    title?: string;
	    body?: string;
	    channels?: string[];
	    assignee?: string;
	    campaign?: string;
	    notes?: string;
	    timeZone?: string;
	    at?: time.Time;
	    repeat?: Recurrence;
	    noRepeat?: boolean;
	    latePolicy?: string;
	    graceMinutes?: number;
	    attach?: string[];
	    detach?: string[];
	    occurrence?: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Patch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.title = source["title"];
	        this.body = source["body"];
	        this.channels = source["channels"];
	        this.assignee = source["assignee"];
	        this.campaign = source["campaign"];
	        this.notes = source["notes"];
	        this.timeZone = source["timeZone"];
	        this.at = this.convertValues(source["at"], time.Time);
	        this.repeat = this.convertValues(source["repeat"], Recurrence);
	        this.noRepeat = source["noRepeat"];
	        this.latePolicy = source["latePolicy"];
	        this.graceMinutes = source["graceMinutes"];
	        this.attach = source["attach"];
	        this.detach = source["detach"];
	        this.occurrence = this.convertValues(source["occurrence"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace connections {
	
	export class Settings {
	    url?: string;
	    username?: string;
	    category?: string;
	    channel?: string;
	    guild?: string;
	    apiUrl?: string;
	    webhook?: boolean;
	    listId?: string;
	    keywords?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.username = source["username"];
	        this.category = source["category"];
	        this.channel = source["channel"];
	        this.guild = source["guild"];
	        this.apiUrl = source["apiUrl"];
	        this.webhook = source["webhook"];
	        this.listId = source["listId"];
	        this.keywords = source["keywords"];
	    }
	}
	export class AddInput {
	    name: string;
	    platform: string;
	    settings: Settings;
	    secret: string;
	
	    static createFrom(source: any = {}) {
	        return new AddInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.platform = source["platform"];
	        this.settings = this.convertValues(source["settings"], Settings);
	        this.secret = source["secret"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Connection {
	    id: string;
	    name: string;
	    platform: string;
	    settings: Settings;
	    hasSecret: boolean;
	    paused: boolean;
	    createdAt: time.Time;
	    updatedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Connection(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.platform = source["platform"];
	        this.settings = this.convertValues(source["settings"], Settings);
	        this.hasSecret = source["hasSecret"];
	        this.paused = source["paused"];
	        this.createdAt = this.convertValues(source["createdAt"], time.Time);
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Patch {
	    name?: string;
	    settings?: Settings;
	    secret?: string;
	    paused?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Patch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.settings = this.convertValues(source["settings"], Settings);
	        this.secret = source["secret"];
	        this.paused = source["paused"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace consent {
	
	export class Proof {
	    ip: string;
	    file: string;
	    row: number;
	    formData: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Proof(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ip = source["ip"];
	        this.file = source["file"];
	        this.row = source["row"];
	        this.formData = source["formData"];
	    }
	}
	export class Event {
	    id: string;
	    memberId: string;
	    purpose: string;
	    kind: string;
	    at: time.Time;
	    recordedAt: time.Time;
	    method: string;
	    by: string;
	    source: string;
	    noticeVersion: string;
	    noticeSha256: string;
	    proof: Proof;
	
	    static createFrom(source: any = {}) {
	        return new Event(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.memberId = source["memberId"];
	        this.purpose = source["purpose"];
	        this.kind = source["kind"];
	        this.at = this.convertValues(source["at"], time.Time);
	        this.recordedAt = this.convertValues(source["recordedAt"], time.Time);
	        this.method = source["method"];
	        this.by = source["by"];
	        this.source = source["source"];
	        this.noticeVersion = source["noticeVersion"];
	        this.noticeSha256 = source["noticeSha256"];
	        this.proof = this.convertValues(source["proof"], Proof);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Input {
	    memberId: string;
	    purpose: string;
	    at: time.Time;
	    method: string;
	    by: string;
	    source: string;
	    noticeVersion: string;
	    proof: Proof;
	
	    static createFrom(source: any = {}) {
	        return new Input(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.memberId = source["memberId"];
	        this.purpose = source["purpose"];
	        this.at = this.convertValues(source["at"], time.Time);
	        this.method = source["method"];
	        this.by = source["by"];
	        this.source = source["source"];
	        this.noticeVersion = source["noticeVersion"];
	        this.proof = this.convertValues(source["proof"], Proof);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Notice {
	    id: string;
	    purpose: string;
	    version: string;
	    text: string;
	    sha256: string;
	    publishedAt: time.Time;
	    recordedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Notice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.purpose = source["purpose"];
	        this.version = source["version"];
	        this.text = source["text"];
	        this.sha256 = source["sha256"];
	        this.publishedAt = this.convertValues(source["publishedAt"], time.Time);
	        this.recordedAt = this.convertValues(source["recordedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NoticeInput {
	    purpose: string;
	    version: string;
	    text: string;
	    publishedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new NoticeInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.purpose = source["purpose"];
	        this.version = source["version"];
	        this.text = source["text"];
	        this.publishedAt = this.convertValues(source["publishedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Purpose {
	    id: string;
	    name: string;
	    description: string;
	    builtin: boolean;
	    expiryMonths?: number;
	    archived: boolean;
	    createdAt: time.Time;
	    updatedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Purpose(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.builtin = source["builtin"];
	        this.expiryMonths = source["expiryMonths"];
	        this.archived = source["archived"];
	        this.createdAt = this.convertValues(source["createdAt"], time.Time);
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PurposeInput {
	    id: string;
	    name: string;
	    description: string;
	    expiryMonths?: number;
	    archived: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PurposeInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.expiryMonths = source["expiryMonths"];
	        this.archived = source["archived"];
	    }
	}
	export class Settings {
	    defaultExpiryMonths: number;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.defaultExpiryMonths = source["defaultExpiryMonths"];
	    }
	}
	export class Status {
	    purpose: string;
	    state: string;
	    since: time.Time;
	    expiresAt: time.Time;
	    method: string;
	    source: string;
	    by: string;
	    noticeVersion: string;
	    eventId: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.purpose = source["purpose"];
	        this.state = source["state"];
	        this.since = this.convertValues(source["since"], time.Time);
	        this.expiresAt = this.convertValues(source["expiresAt"], time.Time);
	        this.method = source["method"];
	        this.source = source["source"];
	        this.by = source["by"];
	        this.noticeVersion = source["noticeVersion"];
	        this.eventId = source["eventId"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace errs {
	
	export class FieldError {
	    field: string;
	    code: string;
	    params?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new FieldError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.code = source["code"];
	        this.params = source["params"];
	    }
	}
	export class Error {
	    kind: string;
	    code: string;
	    message: string;
	    params?: Record<string, string>;
	    fields?: FieldError[];
	
	    static createFrom(source: any = {}) {
	        return new Error(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.code = source["code"];
	        this.message = source["message"];
	        this.params = source["params"];
	        this.fields = this.convertValues(source["fields"], FieldError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace exports {
	
	export class Request {
	    format: string;
	    tag: string;
	    search: string;
	    lang: string;
	
	    static createFrom(source: any = {}) {
	        return new Request(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.tag = source["tag"];
	        this.search = source["search"];
	        this.lang = source["lang"];
	    }
	}

}

export namespace gdpr {
	
	export class Settings {
	    retentionMonths: number;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.retentionMonths = source["retentionMonths"];
	    }
	}

}

export namespace importer {
	
	export class Column {
	    index: number;
	    header: string;
	    field: string;
	    auto: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Column(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.header = source["header"];
	        this.field = source["field"];
	        this.auto = source["auto"];
	    }
	}

}

export namespace imports {
	
	export class PreviewRow {
	    line: number;
	    cells: string[];
	
	    static createFrom(source: any = {}) {
	        return new PreviewRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.cells = source["cells"];
	    }
	}
	export class Preview {
	    format: string;
	    source: string;
	    encoding: string;
	    delimiter: string;
	    sheets: string[];
	    sheet: string;
	    header: string[];
	    columns: importer.Column[];
	    rows: PreviewRow[];
	    fields: string[];
	
	    static createFrom(source: any = {}) {
	        return new Preview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.source = source["source"];
	        this.encoding = source["encoding"];
	        this.delimiter = source["delimiter"];
	        this.sheets = source["sheets"];
	        this.sheet = source["sheet"];
	        this.header = source["header"];
	        this.columns = this.convertValues(source["columns"], importer.Column);
	        this.rows = this.convertValues(source["rows"], PreviewRow);
	        this.fields = source["fields"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Request {
	    path: string;
	    sheet: string;
	    mapping: Record<string, string>;
	    dryRun: boolean;
	    jobId: string;
	
	    static createFrom(source: any = {}) {
	        return new Request(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.sheet = source["sheet"];
	        this.mapping = source["mapping"];
	        this.dryRun = source["dryRun"];
	        this.jobId = source["jobId"];
	    }
	}

}

export namespace members {
	
	export class Handle {
	    platform: string;
	    handle: string;
	
	    static createFrom(source: any = {}) {
	        return new Handle(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.platform = source["platform"];
	        this.handle = source["handle"];
	    }
	}
	export class CreateInput {
	    name: string;
	    emails: string[];
	    handles: Handle[];
	    tags: string[];
	    customFields: Record<string, string>;
	    notes: string;
	
	    static createFrom(source: any = {}) {
	        return new CreateInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.emails = source["emails"];
	        this.handles = this.convertValues(source["handles"], Handle);
	        this.tags = source["tags"];
	        this.customFields = source["customFields"];
	        this.notes = source["notes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ListQuery {
	    search: string;
	    tag: string;
	    sort: string;
	    desc: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new ListQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.search = source["search"];
	        this.tag = source["tag"];
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class Member {
	    id: string;
	    name: string;
	    emails: string[];
	    handles: Handle[];
	    tags: string[];
	    customFields: Record<string, string>;
	    notes: string;
	    createdAt: time.Time;
	    updatedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Member(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.emails = source["emails"];
	        this.handles = this.convertValues(source["handles"], Handle);
	        this.tags = source["tags"];
	        this.customFields = source["customFields"];
	        this.notes = source["notes"];
	        this.createdAt = this.convertValues(source["createdAt"], time.Time);
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Page {
	    items: Member[];
	    total: number;
	    offset: number;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], Member);
	        this.total = source["total"];
	        this.offset = source["offset"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Patch {
	    name?: string;
	    emails?: string[];
	    handles?: Handle[];
	    tags?: string[];
	    customFields?: Record<string, string>;
	    notes?: string;
	
	    static createFrom(source: any = {}) {
	        return new Patch(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.emails = source["emails"];
	        this.handles = this.convertValues(source["handles"], Handle);
	        this.tags = source["tags"];
	        this.customFields = source["customFields"];
	        this.notes = source["notes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TagCount {
	    tag: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new TagCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tag = source["tag"];
	        this.count = source["count"];
	    }
	}

}

export namespace newsletter {
	
	export class Counts {
	    recipients: number;
	    sent: number;
	    failedTemp: number;
	    failedPerm: number;
	    pending: number;
	    excludedNoConsent: number;
	    excludedSuppressed: number;
	    excludedNoEmail: number;
	
	    static createFrom(source: any = {}) {
	        return new Counts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.recipients = source["recipients"];
	        this.sent = source["sent"];
	        this.failedTemp = source["failedTemp"];
	        this.failedPerm = source["failedPerm"];
	        this.pending = source["pending"];
	        this.excludedNoConsent = source["excludedNoConsent"];
	        this.excludedSuppressed = source["excludedSuppressed"];
	        this.excludedNoEmail = source["excludedNoEmail"];
	    }
	}
	export class Input {
	    id: string;
	    subject: string;
	    bodyMarkdown: string;
	    lang: string;
	    tags: string[];
	    search: string;
	
	    static createFrom(source: any = {}) {
	        return new Input(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.subject = source["subject"];
	        this.bodyMarkdown = source["bodyMarkdown"];
	        this.lang = source["lang"];
	        this.tags = source["tags"];
	        this.search = source["search"];
	    }
	}
	export class Newsletter {
	    id: string;
	    subject: string;
	    bodyMarkdown: string;
	    lang: string;
	    tags: string[];
	    search: string;
	    status: string;
	    createdAt: time.Time;
	    updatedAt: time.Time;
	    sentAt?: time.Time;
	    counts: Counts;
	
	    static createFrom(source: any = {}) {
	        return new Newsletter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.subject = source["subject"];
	        this.bodyMarkdown = source["bodyMarkdown"];
	        this.lang = source["lang"];
	        this.tags = source["tags"];
	        this.search = source["search"];
	        this.status = source["status"];
	        this.createdAt = this.convertValues(source["createdAt"], time.Time);
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	        this.sentAt = this.convertValues(source["sentAt"], time.Time);
	        this.counts = this.convertValues(source["counts"], Counts);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Recipient {
	    memberId: string;
	    name: string;
	    email: string;
	
	    static createFrom(source: any = {}) {
	        return new Recipient(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.memberId = source["memberId"];
	        this.name = source["name"];
	        this.email = source["email"];
	    }
	}
	export class Plan {
	    newsletterId: string;
	    recipients: number;
	    excludedNoConsent: number;
	    excludedSuppressed: number;
	    excludedNoEmail: number;
	    alreadySent: number;
	    sample: Recipient[];
	
	    static createFrom(source: any = {}) {
	        return new Plan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.newsletterId = source["newsletterId"];
	        this.recipients = source["recipients"];
	        this.excludedNoConsent = source["excludedNoConsent"];
	        this.excludedSuppressed = source["excludedSuppressed"];
	        this.excludedNoEmail = source["excludedNoEmail"];
	        this.alreadySent = source["alreadySent"];
	        this.sample = this.convertValues(source["sample"], Recipient);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Rendered {
	    subject: string;
	    html: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Rendered(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subject = source["subject"];
	        this.html = source["html"];
	        this.text = source["text"];
	    }
	}
	export class SMTPInput {
	    host: string;
	    port: number;
	    tls: string;
	    username: string;
	    password?: string;
	    fromAddress: string;
	    fromName: string;
	    ratePerSecond: number;
	
	    static createFrom(source: any = {}) {
	        return new SMTPInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.tls = source["tls"];
	        this.username = source["username"];
	        this.password = source["password"];
	        this.fromAddress = source["fromAddress"];
	        this.fromName = source["fromName"];
	        this.ratePerSecond = source["ratePerSecond"];
	    }
	}
	export class SMTPSettings {
	    host: string;
	    port: number;
	    tls: string;
	    username: string;
	    passwordSet: boolean;
	    fromAddress: string;
	    fromName: string;
	    ratePerSecond: number;
	    updatedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new SMTPSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.tls = source["tls"];
	        this.username = source["username"];
	        this.passwordSet = source["passwordSet"];
	        this.fromAddress = source["fromAddress"];
	        this.fromName = source["fromName"];
	        this.ratePerSecond = source["ratePerSecond"];
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace reports {
	
	export class Schedule {
	    enabled: boolean;
	    weekday: string;
	    at: string;
	    folder: string;
	    lang: string;
	    since: time.Time;
	    lastSlot: time.Time;
	    lastFile?: string;
	    nextSlot: time.Time;
	    updatedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Schedule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enabled = source["enabled"];
	        this.weekday = source["weekday"];
	        this.at = source["at"];
	        this.folder = source["folder"];
	        this.lang = source["lang"];
	        this.since = this.convertValues(source["since"], time.Time);
	        this.lastSlot = this.convertValues(source["lastSlot"], time.Time);
	        this.lastFile = source["lastFile"];
	        this.nextSlot = this.convertValues(source["nextSlot"], time.Time);
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ScheduleInput {
	    enabled: boolean;
	    weekday: string;
	    at: string;
	    folder: string;
	    lang: string;
	
	    static createFrom(source: any = {}) {
	        return new ScheduleInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enabled = source["enabled"];
	        this.weekday = source["weekday"];
	        this.at = source["at"];
	        this.folder = source["folder"];
	        this.lang = source["lang"];
	    }
	}

}

export namespace scheduler {
	
	export class JobState {
	    name: string;
	    everySeconds: number;
	    lastStartedAt: time.Time;
	    lastFinishedAt: time.Time;
	    lastError?: errs.Error;
	    runs: number;
	    running: boolean;
	    interrupted: boolean;
	    interruptions: number;
	    lastInterruptedAt: time.Time;
	    due: boolean;
	    nextRunAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new JobState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.everySeconds = source["everySeconds"];
	        this.lastStartedAt = this.convertValues(source["lastStartedAt"], time.Time);
	        this.lastFinishedAt = this.convertValues(source["lastFinishedAt"], time.Time);
	        this.lastError = this.convertValues(source["lastError"], errs.Error);
	        this.runs = source["runs"];
	        this.running = source["running"];
	        this.interrupted = source["interrupted"];
	        this.interruptions = source["interruptions"];
	        this.lastInterruptedAt = this.convertValues(source["lastInterruptedAt"], time.Time);
	        this.due = source["due"];
	        this.nextRunAt = this.convertValues(source["nextRunAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RunResult {
	    name: string;
	    trigger: string;
	    ran: boolean;
	    skipped?: string;
	    ok: boolean;
	    error?: errs.Error;
	    resumed?: boolean;
	    interrupted?: boolean;
	    startedAt: time.Time;
	    finishedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new RunResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.trigger = source["trigger"];
	        this.ran = source["ran"];
	        this.skipped = source["skipped"];
	        this.ok = source["ok"];
	        this.error = this.convertValues(source["error"], errs.Error);
	        this.resumed = source["resumed"];
	        this.interrupted = source["interrupted"];
	        this.startedAt = this.convertValues(source["startedAt"], time.Time);
	        this.finishedAt = this.convertValues(source["finishedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace syncstate {
	
	export class ConnectionReport {
	    connection: string;
	    name: string;
	    platform: string;
	    online: boolean;
	    pushed: number;
	    failed: number;
	    parked: number;
	    pulled: number;
	    pulledPeople: number;
	    audienceUpserted?: number;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connection = source["connection"];
	        this.name = source["name"];
	        this.platform = source["platform"];
	        this.online = source["online"];
	        this.pushed = source["pushed"];
	        this.failed = source["failed"];
	        this.parked = source["parked"];
	        this.pulled = source["pulled"];
	        this.pulledPeople = source["pulledPeople"];
	        this.audienceUpserted = source["audienceUpserted"];
	        this.error = source["error"];
	    }
	}
	export class Delivery {
	    id: string;
	    entryId: string;
	    entryKey: string;
	    connection: string;
	    channel: string;
	    title: string;
	    state: string;
	    attempts: number;
	    nextAt: time.Time;
	    reason?: string;
	    reasonCode?: string;
	    remoteId?: string;
	    url?: string;
	    dueAt: time.Time;
	    createdAt: time.Time;
	    updatedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Delivery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.entryId = source["entryId"];
	        this.entryKey = source["entryKey"];
	        this.connection = source["connection"];
	        this.channel = source["channel"];
	        this.title = source["title"];
	        this.state = source["state"];
	        this.attempts = source["attempts"];
	        this.nextAt = this.convertValues(source["nextAt"], time.Time);
	        this.reason = source["reason"];
	        this.reasonCode = source["reasonCode"];
	        this.remoteId = source["remoteId"];
	        this.url = source["url"];
	        this.dueAt = this.convertValues(source["dueAt"], time.Time);
	        this.createdAt = this.convertValues(source["createdAt"], time.Time);
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DeliveryQuery {
	    state?: string;
	    connection?: string;
	    limit?: number;
	
	    static createFrom(source: any = {}) {
	        return new DeliveryQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.connection = source["connection"];
	        this.limit = source["limit"];
	    }
	}
	export class RunReport {
	    startedAt: time.Time;
	    finishedAt: time.Time;
	    connections: ConnectionReport[];
	
	    static createFrom(source: any = {}) {
	        return new RunReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.startedAt = this.convertValues(source["startedAt"], time.Time);
	        this.finishedAt = this.convertValues(source["finishedAt"], time.Time);
	        this.connections = this.convertValues(source["connections"], ConnectionReport);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace tasks {
	
	export class Input {
	    title: string;
	    notes: string;
	    memberId: string;
	    dueAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Input(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.notes = source["notes"];
	        this.memberId = source["memberId"];
	        this.dueAt = this.convertValues(source["dueAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Task {
	    id: string;
	    title: string;
	    notes: string;
	    memberId: string;
	    dueAt: time.Time;
	    done: boolean;
	    doneAt: time.Time;
	    createdAt: time.Time;
	    updatedAt: time.Time;
	    source: string;
	    key?: string;
	    notifiedAt: time.Time;
	
	    static createFrom(source: any = {}) {
	        return new Task(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.notes = source["notes"];
	        this.memberId = source["memberId"];
	        this.dueAt = this.convertValues(source["dueAt"], time.Time);
	        this.done = source["done"];
	        this.doneAt = this.convertValues(source["doneAt"], time.Time);
	        this.createdAt = this.convertValues(source["createdAt"], time.Time);
	        this.updatedAt = this.convertValues(source["updatedAt"], time.Time);
	        this.source = source["source"];
	        this.key = source["key"];
	        this.notifiedAt = this.convertValues(source["notifiedAt"], time.Time);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace time {
	
	export class Time {
	
	
	    static createFrom(source: any = {}) {
	        return new Time(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	
	    }
	}

}

