export namespace app {
	
	export class WorkspaceInfo {
	    id: string;
	    name: string;
	    dir: string;
	    schemaVersion: number;
	    // Go type: time
	    createdAt: any;
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
	        this.createdAt = this.convertValues(source["createdAt"], null);
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
	    // Go type: time
	    at: any;
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
	        this.at = this.convertValues(source["at"], null);
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
	    // Go type: time
	    at: any;
	    // Go type: time
	    recordedAt: any;
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
	        this.at = this.convertValues(source["at"], null);
	        this.recordedAt = this.convertValues(source["recordedAt"], null);
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
	    // Go type: time
	    at: any;
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
	        this.at = this.convertValues(source["at"], null);
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
	    // Go type: time
	    publishedAt: any;
	    // Go type: time
	    recordedAt: any;
	
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
	        this.publishedAt = this.convertValues(source["publishedAt"], null);
	        this.recordedAt = this.convertValues(source["recordedAt"], null);
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
	    // Go type: time
	    publishedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new NoticeInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.purpose = source["purpose"];
	        this.version = source["version"];
	        this.text = source["text"];
	        this.publishedAt = this.convertValues(source["publishedAt"], null);
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
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	
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
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
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
	    // Go type: time
	    since: any;
	    // Go type: time
	    expiresAt: any;
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
	        this.since = this.convertValues(source["since"], null);
	        this.expiresAt = this.convertValues(source["expiresAt"], null);
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
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	
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
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
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

