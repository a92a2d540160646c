package analytics

// The sentiment lexicon and stop words are hand-made for Hearth (no outside source): common
// words of community messages in French and English, written as people write them; they are
// folded (lower case, no accents) when loaded, like the text they are matched against.
// Ambiguous words ("plus", "like", "fine") are left out on purpose: a miss is neutral, a
// wrong guess is noise.

var positiveWords = set(
	// English
	`good great excellent awesome amazing love loved loving lovely nice happy glad thanks thank
	thx helpful useful wonderful fantastic perfect brilliant enjoy enjoyed enjoying best better
	cool super welcome recommend recommended works solved fixed easy beautiful impressive
	pleased excited fun congrats congratulations appreciate appreciated bravo kudos yay win`,
	// French
	`bien bon bonne bons bonnes excellent excellente génial géniale super merci top parfait
	parfaite bravo content contente contents ravi ravie heureux heureuse aime adore adoré
	adorée plaisir formidable magnifique utile efficace réussi réussie résolu résolue
	félicitations chouette sympa agréable meilleur meilleure facile clair claire bienvenue
	incroyable impeccable enchanté enchantée`,
)

var negativeWords = set(
	// English
	`bad terrible awful horrible hate hated worst worse poor broken bug bugs buggy crash crashes
	crashed fail failed failing failure error errors problem problems issue issues wrong slow
	annoying annoyed angry disappointed disappointing useless sad sorry frustrating frustrated
	confusing confused ugly difficult hard lost stuck disappointing unhappy spam scam`,
	// French
	`mal mauvais mauvaise nul nulle nuls horrible affreux déteste décevant décevante déçu déçue
	problème problèmes bug bugs erreur erreurs panne plantage plante planté lent lente triste
	dommage pire énervant énervé énervée fâché fâchée inutile difficile compliqué compliquée
	bloqué bloquée perdu perdue cassé cassée arnaque pénible malheureusement désolé désolée`,
)

// negations turn the sentiment of the next words around.
var negations = set(
	`not no never nothing nobody none without cannot cant dont don doesnt doesn didnt didn isnt
	isn wasnt wasn arent aren werent weren wont couldn wouldn shouldn`,
	`pas jamais aucun aucune rien sans ni guère`,
)

// stopWords are left out of keywords (with the negations).
var stopWords = set(
	// English
	`the and for are but with this that these those was were have has had been being from your
	yours you our ours their theirs them they she her his him its it's who whom what which when
	where why how all any both each few more most other some such only own same than too very
	can will just should would could also into over under again then once here there about
	above after before below between out off down until while because does did doing get got
	let lets one two yes okay hello thanks thank please via per use using used like just really`,
	// French
	`les des une un le la du de et est sont pour par avec dans sur pas plus que qui quoi dont
	mais ou où donc car ces cet cette ses son sa leur leurs nous vous ils elles elle lui moi
	toi tout tous toute toutes très bien aussi comme être avoir fait faire été était sont ont
	avez avons peut peux entre sous chez vers depuis avant après encore déjà quand alors ici
	voici voilà bonjour salut merci oui non notre votre nos vos mes tes aux ceux celle celui
	elles même autre autres fois faut cela ça ceci comment pourquoi combien quel quelle quels
	quelles quelqu’un quelqu'un est-ce`,
)
