"""Words of goods descriptions that are never read as a misspelled mark (issue 19).

A misspelling is a word one letter away from a recorded mark; with hundreds of thousands
of marks, everyday words ("model", "colour") are one letter away from some mark. They are
excluded here, and so are the words of the recorded genuine goods' names and features
(screening/selectors.py). A mark written exactly still matches, whatever word it is."""

COMMON = """
a about accessories accessory adapter adapters adult adults air all alloy aluminium aluminum
and animal animals apparel arts assorted auto automatic baby back bag bags ball balls band
bands base basket bath batteries battery beach bearing bearings bed bedding belt belts bicycle
big black blanket blankets block blocks blue board boards body bolt bolts book books boot
boots bottle bottles bowl bowls box boxes boy boys bracelet bracelets brand brass brush
brushes bucket buckets cable cables camera candle candles canvas cap caps car card cards
carpet carpets cartons case cases casual ceramic ceramics chain chains chair chairs charger
chargers child children christmas clip clips clock clocks cloth clothes clothing coat coats
coffee collar colour colours color colors computer cooking copper cosmetic cosmetics cotton
cover covers craft crafts cream cup cups curtain curtains cushion cushions decoration
decorations decorative designer desk device devices digital dining dish dishes display doll
dolls door dress dresses drink dryer dryers ear earphone earphones earring earrings
electric electronic electronics empty fabric fabrics face fan fans fashion figure figures
film filter filters fishing flashlight floor flower flowers foam folding food foot footwear
for frame frames from fruit furniture game games garden gift gifts girl girls glass glasses
glove gloves gold green hair hand handbag handbags hardware hat hats head headphone
headphones health heater holder holders home hook hooks hose household iron jacket jackets
jeans jewellery jewelry kids kit kitchen kits knife knives knitted label labels lady ladies
lamp lamps large laser leather led lens light lighter lighters lights lining machine
machinery machines magnetic makeup man mask masks mat mats medical men metal mirror mixed
mobile model models motor mouse mug mugs music nail necklace necklaces net new notebook
notebooks nylon office oil packed packing pad pads paint pair pairs pan pans panel pants
paper part parts party pen pencil pencils pens perfume pet phone phones piece pieces pillow
pillows pink pipe plastic plate plates player plush pocket polyester portable pouch power
powder printed printer pump purse purses rack racks red remote retail ring rings robot rubber
rug safety sandals scarf scarves school scissors screen screw screws seat set sets sewing
shampoo sheet sheets shirt shirts shoe shoes shorts silicone silver size skirt skirts small
smart soap socks sofa solar speaker speakers spare sport sports sportswear stainless stamp
stamps stand standard stationery steel sticker stickers stone storage strap straps suit
suits sunglasses supplies sweater sweaters switch table tablet tape tea textile textiles
the tool tools towel towels toy toys tray tube umbrella umbrellas underwear unit used
vacuum vinyl wall wallet wallets walls watch watches water wear white window wire wireless
with women wood wooden wool yarn yellow zip zipper
"""

WORDS = frozenset(COMMON.split())
